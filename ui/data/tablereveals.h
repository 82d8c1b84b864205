#pragma once

#include "db/connectionsettings.h"

#include <QObject>
#include <QSet>

namespace MigrationDesk {

class AppServices;
class FilterBar;
class LazyTableModel;
class RevealGate;

// The Tables view's unmasking flow: a masked column of the grid's model shows its values (and may be
// filtered on) only once the RevealGate has recorded the request in the audit table; masking it again
// drops the filters on it. GUI thread.
class TableReveals : public QObject
{
    Q_OBJECT

public:
    // filterBar is the view's; it must outlive this. The gate's worker comes from services.
    explicit TableReveals(AppServices &services, FilterBar *filterBar, QObject *parent = nullptr);

    // The grid's model (nullptr when there is none); an answer for another table is dropped.
    void setModel(LazyTableModel *model) { m_model = model; }
    // Asks the gate to record the unmasking of a sensitive column; recording() says it started.
    void request(const MigrationDesk::ConnectionSettings &settings, int column);
    // The column was masked again in the grid: the filters on it go.
    void maskedAgain(int column);
    // The model's unmasked columns, by name.
    static QSet<QString> revealedNames(const LazyTableModel *model);

Q_SIGNALS:
    void recording(const QString &column);
    void recorded(const QString &column);
    void failed(const QString &message);

private:
    bool isCurrent(const QString &schema, const QString &table) const;

    RevealGate *m_gate;
    FilterBar *m_filterBar;
    LazyTableModel *m_model = nullptr;
};

} // namespace MigrationDesk
