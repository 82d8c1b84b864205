#pragma once

#include <QMetaType>

#include "migrations/migrationscript.h"
#include "migrations/revisiongraph.h"

#include <QList>
#include <QString>

namespace MigrationDesk {

// The complete, validated set of migration scripts and their revision graph. Loaded and checked as
// a whole before anything touches a database. Value type; any thread.
class ScriptSet
{
public:
    static QString bundledLocation() { return QStringLiteral(":/migrations"); }

    // Loads every *.sql file of a folder (a resource folder for the bundled scripts). Every problem
    // found is collected in errors(), each naming a file and a line.
    static ScriptSet load(const QString &directory);

    bool isValid() const { return m_errors.isEmpty(); }
    const QList<ScriptError> &errors() const { return m_errors; }
    QString errorText() const; // one error per line

    QString directory() const { return m_directory; }
    const RevisionGraph &graph() const { return m_graph; }
    const QList<MigrationScript> &scripts() const { return m_scripts; }
    const MigrationScript *script(const QString &revision) const;
    bool isEmpty() const { return m_scripts.isEmpty(); }

    // Refuses a plan (or a stamp) that runs or passes through a revision carrying needs_review:
    // the message names the revision, its file and the reason; empty when every revision is runnable.
    QString reviewRefusal(const QStringList &revisions) const;
    // The revisions a stamp from `heads` to `newHeads` passes through: those applied on one side only.
    QStringList stampedThrough(const QStringList &heads, const QStringList &newHeads) const;

private:
    QString m_directory;
    QList<MigrationScript> m_scripts;
    QHash<QString, int> m_index;
    QList<ScriptError> m_errors;
    RevisionGraph m_graph;
};

} // namespace MigrationDesk

Q_DECLARE_METATYPE(MigrationDesk::ScriptSet)
