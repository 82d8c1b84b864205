#include "migrations/stampdialog.h"

#include "models/timelinemodel.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// The messages began in the Migrations view and keep its translation context, so their translations carry over.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::MigrationsView)
};

} // namespace

StampDialog::StampDialog(const TimelineModel &model, const QString &selected, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(u"stampDialog"_s);
    setWindowTitle(Text::tr("Stamp"));
    setAttribute(Qt::WA_DeleteOnClose);
    auto *layout = new QVBoxLayout(this);
    auto *label = new QLabel(Text::tr("Record this revision in the version table without running any SQL "
                                      "(for a schema that was changed by hand or restored from a dump):"),
                             this);
    label->setWordWrap(true);
    layout->addWidget(label);
    m_combo = new QComboBox(this);
    m_combo->setObjectName(u"stampTargetCombo"_s);
    m_combo->addItem(Text::tr("heads (every head revision)"), u"heads"_s);
    m_combo->addItem(Text::tr("base (empty the version table)"), u"base"_s);
    for (int r = 0; r < model.rowCount(); ++r) {
        const QString revision = model.revisionAt(r);
        if (!model.scripts().script(revision))
            continue;
        m_combo->addItem(u"%1  %2"_s.arg(revision, model.scripts().script(revision)->message), revision);
    }
    const int current = m_combo->findData(selected);
    if (current >= 0)
        m_combo->setCurrentIndex(current);
    layout->addWidget(m_combo);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(Text::tr("Continue…"));
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

QString StampDialog::target() const
{
    return m_combo->currentData().toString();
}

} // namespace MigrationDesk
