#pragma once

#include <QString>
#include <QStringList>

// The bundled migrations' revisions, oldest first, in one place: a new bundled script changes this
// header (and the counts of statements it adds), not every test. tst_migrationscript checks it against
// the scripts compiled into the core. Any thread.
namespace MigrationDesk::Test {

inline QStringList bundledRevisions()
{
    return {QStringLiteral("317093d76fd2"), QStringLiteral("ce3d30390578"), QStringLiteral("a6341ce60c38"),
            QStringLiteral("dd46251f4bbc"), QStringLiteral("37b4ba2718bb")};
}

inline QString bundledHead()
{
    return bundledRevisions().constLast();
}

// The revision just below the head.
inline QString bundledBeforeHead()
{
    const QStringList revisions = bundledRevisions();
    return revisions.at(revisions.size() - 2);
}

} // namespace MigrationDesk::Test
