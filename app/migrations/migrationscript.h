#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QStringList>

#include <optional>

namespace MigrationDesk {

// A problem found while loading scripts, located at a file and line.
struct ScriptError
{
    QString file;
    int line = 0;
    QString message;
    QString toString() const;
};

// One revision's SQL file: the header metadata and its two sections. Parsed on any thread.
struct MigrationScript
{
    QString revision;
    QStringList downRevisions; // empty for a root
    QString message;
    QString created;
    bool transactional = true;
    QStringList branchLabels;  // Alembic's branch_labels: this revision's own labels
    QStringList dependsOn;     // Alembic's depends_on: revision ids or branch labels
    // Set by import-alembic when a revision could not be translated faithfully; the engine refuses
    // to run or stamp through such a revision until a person removes the header.
    QString needsReview;

    QString fileName;          // the path it was read from (a resource path for bundled scripts)
    QString upgradeSql;
    QString downgradeSql;
    int upgradeLine = 0;       // file line of the first line of each section's body
    int downgradeLine = 0;
    QHash<QString, int> headerLines; // header key -> file line, for error messages
    QString sha256;            // hex SHA-256 of the file, normalized to LF line ends and no BOM

    QString sectionSql(bool upgrade) const { return upgrade ? upgradeSql : downgradeSql; }
    int sectionLine(bool upgrade) const { return upgrade ? upgradeLine : downgradeLine; }

    static bool isValidRevisionId(const QString &id);
    // Parses one file. Refuses non-UTF-8 bytes, unknown or duplicate header keys, missing required
    // keys, malformed ids and missing sections, with the offending line in *error.
    static std::optional<MigrationScript> parse(const QByteArray &content, const QString &fileName, ScriptError *error);
    // The checksum recorded in history: normalizing line ends keeps a Windows checkout from looking edited.
    static QString checksum(const QByteArray &content);
};

} // namespace MigrationDesk
