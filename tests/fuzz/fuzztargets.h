#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace MigrationDesk::Fuzz {

// The fuzzers' entry points, shared by the libFuzzer executables (tests/fuzz/fuzz_*.cpp) and by
// tst_fuzzcorpus, which replays every corpus file through them in the ordinary test run. Each feeds
// one input through a parser and checks the invariants its documentation promises; the result is empty
// when they hold, else what broke. Pure functions; any thread.
QString scriptParser(const QByteArray &input);     // MigrationScript::parse, header and sections
QString sqlSplitter(const QByteArray &input);      // splitSql
QString connectionUrl(const QByteArray &input);    // ConnectionSettings::fromUrl, toUrl, connectOptions
QString revisionTarget(const QByteArray &input);   // targets and ranges on a fixed branching graph
QString csvRow(const QByteArray &input);           // CsvFormat::row of hostile values, read back

// csvRow's check: line reads back, RFC 4180, as exactly the expected values (null = NULL, written as nothing).
QString checkCsvReadBack(const QString &line, const QStringList &expected);

} // namespace MigrationDesk::Fuzz
