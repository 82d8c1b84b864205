#include "timelinemodel.h"

// Placeholder bodies so the tree links while the real model is written.
namespace MigrationDesk {
TimelineModel::TimelineModel(QObject *parent) : QAbstractListModel(parent) {}
int TimelineModel::rowCount(const QModelIndex &) const { return 0; }
QVariant TimelineModel::data(const QModelIndex &, int) const { return {}; }
QHash<int, QByteArray> TimelineModel::roleNames() const { return {}; }
}
