#include "data/tablestatusline.h"

#include "browse/lazytablemodel.h"

#include <QCoreApplication>
#include <QLabel>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// The messages began in the Tables view and keep its translation context, so their translations carry over.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::TablesView)
};

} // namespace

TableStatusLine::TableStatusLine(QLabel *count, QLabel *error, QObject *parent)
    : QObject(parent)
    , m_count(count)
    , m_error(error)
{
}

void TableStatusLine::showCount(const LazyTableModel *model, bool tableChosen)
{
    if (!model || !model->tableInfo().isValid()) {
        m_count->setText(model && tableChosen ? Text::tr("Loading…") : QString());
        return;
    }
    // The source reads as the plural; the translations hold the forms for each count (1 row, 2 rows).
    QString text = Text::tr("%1 rows", nullptr, model->rowCount()).arg(model->countText());
    if (model->isCountExact() && model->rowCount() == 0 && !model->filters().isEmpty())
        text += u"  —  "_s + Text::tr("No rows match the filters.");
    m_count->setText(text);
}

void TableStatusLine::showError(const QString &message, bool transient)
{
    m_error->setProperty("transient", transient);
    m_error->setText(message);
}

void TableStatusLine::showModelError(const QString &message)
{
    // 57014 is our own Cancel (or a statement timeout): not the server refusing anything.
    const bool cancelled = message.contains(u"[57014]"_s);
    showError(cancelled ? Text::tr("Cancelled. Scroll, sort or refresh to read the rows again.") : message, cancelled);
    if (!cancelled)
        m_count->clear(); // "0 rows" would read as an answer; the query did not run
}

void TableStatusLine::clearError()
{
    m_error->clear();
}

void TableStatusLine::clearTransient()
{
    if (m_error->property("transient").toBool())
        m_error->clear();
}

QString TableStatusLine::countText() const
{
    return m_count->text();
}

QString TableStatusLine::errorText() const
{
    return m_error->text();
}

} // namespace MigrationDesk
