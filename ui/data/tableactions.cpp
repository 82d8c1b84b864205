#include "data/tableactions.h"

#include "data/datagrid.h"
#include "icons.h"

#include <QAction>
#include <QCoreApplication>
#include <QMenu>
#include <QSettings>
#include <QToolButton>

using namespace Qt::StringLiterals;

namespace MigrationDesk {

namespace {

// The messages began in the Tables view and keep its translation context, so their translations carry over.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::TablesView)
};

} // namespace

TableActions::TableActions(QWidget *buttonParent, QObject *parent)
    : QObject(parent)
{
    m_copy = new QToolButton(buttonParent);
    m_copy->setObjectName(u"copyCells"_s);
    m_copy->setText(Text::tr("Copy"));
    m_export = new QToolButton(buttonParent);
    m_export->setObjectName(u"exportCsv"_s);
    m_export->setText(Text::tr("Export CSV…"));
    m_export->setIcon(Icons::get(Icons::Export));
    m_export->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    // Excel opens a BOM-less CSV in the legacy code page, which garbles Korean; other tools may choke on a BOM.
    auto *menu = new QMenu(m_export);
    m_excel = menu->addAction(Text::tr("Excel compatible (UTF-8 with BOM)"));
    m_excel->setObjectName(u"excelCompatible"_s);
    m_excel->setCheckable(true);
    m_excel->setChecked(QSettings().value(excelSettingsKey(), false).toBool());
    connect(m_excel, &QAction::toggled, this, [](bool on) { QSettings().setValue(excelSettingsKey(), on); });
    m_export->setMenu(menu);
    m_export->setPopupMode(QToolButton::MenuButtonPopup);
    connect(m_copy, &QToolButton::clicked, this, &TableActions::copyRequested);
    connect(m_export, &QToolButton::clicked, this, &TableActions::exportRequested);
}

void TableActions::addContextActions(DataGrid *grid)
{
    m_copyAction = new QAction(Text::tr("Copy"), grid);
    m_copyAction->setObjectName(u"copyAction"_s);
    grid->addAction(m_copyAction);
    auto *exportAction = new QAction(Icons::get(Icons::Export), Text::tr("Export CSV…"), grid);
    grid->addAction(exportAction);

    connect(m_copyAction, &QAction::triggered, this, &TableActions::copyRequested);
    connect(exportAction, &QAction::triggered, this, &TableActions::exportRequested);
}

QString TableActions::excelSettingsKey()
{
    return u"tables/exportExcelCompatible"_s;
}

bool TableActions::isExcelCompatible() const
{
    return m_excel->isChecked();
}

bool TableActions::canExport() const
{
    return m_export->isEnabled();
}

void TableActions::update(bool hasTable, bool canSelect, bool hasSelection, bool exporting)
{
    m_copy->setEnabled(hasSelection);
    if (m_copyAction)
        m_copyAction->setEnabled(hasSelection);
    m_copy->setToolTip(hasSelection ? Text::tr("Copy the selected cells as tab-separated text (Ctrl+C)")
                                    : Text::tr("Select cells in the grid to copy them"));
    m_export->setEnabled(canSelect && !exporting);
    if (hasTable && !canSelect)
        m_export->setToolTip(Text::tr("Exporting needs the SELECT privilege on this table."));
    else if (exporting)
        m_export->setToolTip(Text::tr("An export is already running."));
    else
        m_export->setToolTip(
            Text::tr("Write the rows as the grid shows them (filters, sort, deleted rows) to a CSV file"));
}

} // namespace MigrationDesk
