#include "connect/urlpastewatcher.h"

#include "db/connectionurl.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QKeyEvent>
#include <QLineEdit>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

UrlPasteWatcher::UrlPasteWatcher(QObject *parent)
    : QObject(parent)
{
}

void UrlPasteWatcher::watch(QLineEdit *edit)
{
    m_lastText.insert(edit, edit->text());
    edit->installEventFilter(this);
    connect(edit, &QLineEdit::textEdited, this, [this, edit](const QString &text) { onEdited(edit, text); });
    // Text set by code (fill(), a profile) is the field's new "before".
    connect(edit, &QLineEdit::textChanged, this, [this, edit](const QString &text) {
        if (urlStart(text) < 0)
            m_lastText.insert(edit, text);
    });
}

qsizetype UrlPasteWatcher::urlStart(const QString &text)
{
    static const QRegularExpression scheme(u"postgres(ql)?(\\+[A-Za-z0-9_]+)?://"_s,
                                           QRegularExpression::CaseInsensitiveOption);
    return text.indexOf(scheme);
}

bool UrlPasteWatcher::eventFilter(QObject *watched, QEvent *event)
{
    // Caught before the field sees it: the port field's validator would refuse the URL silently.
    if (event->type() == QEvent::KeyPress && static_cast<QKeyEvent *>(event)->matches(QKeySequence::Paste)) {
        auto edit = qobject_cast<QLineEdit *>(watched);
        const QString pasted = QGuiApplication::clipboard()->text();
        const qsizetype at = urlStart(pasted);
        if (edit && !edit->isReadOnly() && at >= 0) {
            handle(pasted.mid(at));
            return true;
        }
    }
    return QObject::eventFilter(watched, event);
}

void UrlPasteWatcher::onEdited(QLineEdit *edit, const QString &text)
{
    const qsizetype at = urlStart(text);
    if (at < 0) {
        m_lastText.insert(edit, text);
        return;
    }
    // Pasted some other way (context menu, middle click): the URL never stays in the field, where its
    // password would show in clear.
    edit->setText(m_lastText.value(edit));
    handle(text.mid(at));
}

void UrlPasteWatcher::handle(const QString &url)
{
    QString error;
    const std::optional<ConnectionSettings> settings = ConnectionUrl::parse(url.trimmed(), &error);
    if (settings)
        Q_EMIT urlPasted(*settings);
    else
        Q_EMIT urlRejected(error);
}

} // namespace MigrationDesk
