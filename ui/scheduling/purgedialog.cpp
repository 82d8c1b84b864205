#include "scheduling/purgedialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {
constexpr int listedRows = 8;
}

PurgeDialog::PurgeDialog(const QString &what, const QStringList &labels, const QString &title, QWidget *parent)
    : QDialog(parent)
    , m_expected(labels.size() == 1 && !title.trimmed().isEmpty() ? title.trimmed() : QString::number(labels.size()))
    , m_confirm(new QLineEdit(this))
{
    setObjectName(u"purgeDialog"_s);
    setWindowTitle(tr("Delete Permanently"));

    auto *intro = new QLabel(tr("%n row(s) will be deleted permanently from %1. A permanent delete cannot be "
                                "undone, not even with Undo; the audit table keeps a copy of their values.",
                                nullptr, int(labels.size()))
                                 .arg(what),
                             this);
    intro->setObjectName(u"introLabel"_s);
    intro->setWordWrap(true);

    QStringList shown;
    for (const QString &label : labels.mid(0, listedRows))
        shown.append(u"\u2022 "_s + (label.isEmpty() ? tr("(no name)") : label.left(80)));
    if (labels.size() > listedRows)
        shown.append(tr("\u2026 and %n more", nullptr, int(labels.size() - listedRows)));
    auto *list = new QLabel(shown.join(u'\n'), this);
    list->setObjectName(u"rowsLabel"_s);
    // Titles are user data: never let them be read as rich text.
    list->setTextFormat(Qt::PlainText);

    // Typing the title makes the user read which row goes; a pre-filled hint would let them copy it blindly.
    const bool byTitle = labels.size() == 1 && !title.trimmed().isEmpty();
    auto *prompt = new QLabel(byTitle ? tr("Type the title \u201c%1\u201d to confirm:").arg(m_expected)
                                      : tr("Type the number of rows, %1, to confirm:").arg(m_expected),
                              this);
    prompt->setObjectName(u"promptLabel"_s);
    prompt->setWordWrap(true);
    prompt->setTextFormat(Qt::PlainText);
    m_confirm->setObjectName(u"confirmEdit"_s);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_deleteButton = buttons->addButton(tr("Delete Permanently"), QDialogButtonBox::DestructiveRole);
    m_deleteButton->setObjectName(u"confirmButton"_s);
    m_deleteButton->setEnabled(false);
    m_deleteButton->setAutoDefault(false);
    buttons->button(QDialogButtonBox::Cancel)->setObjectName(u"cancelButton"_s);
    buttons->button(QDialogButtonBox::Cancel)->setDefault(true);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_deleteButton, &QPushButton::clicked, this, [this] {
        if (isConfirmed())
            accept();
    });
    QPushButton *cancel = buttons->button(QDialogButtonBox::Cancel);
    // Enter cancels until the typed text matches; then it confirms, as the typing made it deliberate.
    connect(m_confirm, &QLineEdit::textChanged, this, [this, cancel] {
        const bool confirmed = isConfirmed();
        m_deleteButton->setEnabled(confirmed);
        m_deleteButton->setDefault(confirmed);
        cancel->setDefault(!confirmed);
    });

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(list);
    layout->addSpacing(8);
    layout->addWidget(prompt);
    layout->addWidget(m_confirm);
    layout->addWidget(buttons);
    setMinimumWidth(420);
}

bool PurgeDialog::isConfirmed() const
{
    return m_confirm->text().trimmed() == m_expected;
}

} // namespace MigrationDesk
