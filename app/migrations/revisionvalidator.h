#pragma once

#include "migrations/revisiongraph.h"

#include <QList>

// Internal to migrations/: everyone else calls RevisionGraph::validate().
namespace MigrationDesk::Alembic {

// Finds what makes a revision graph unusable (RevisionGraph::validate()), each error naming its
// revision. Pure data; lives on the thread of its graph, for the length of one call.
class RevisionValidator
{
public:
    // `graph` must outlive this.
    explicit RevisionValidator(const RevisionGraph &graph) : m_g(graph) {}

    QList<RevisionGraph::GraphError> errors() const;

private:
    const RevisionGraph &m_g;
};

} // namespace MigrationDesk::Alembic
