#include "migrations/revisionerrors.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace MigrationDesk::Alembic {

namespace {

// Gives lupdate the same context ("MigrationDesk::RevisionGraph") that the translator looks these messages up in.
class Text
{
    Q_DECLARE_TR_FUNCTIONS(MigrationDesk::RevisionGraph)
};

} // namespace

QString commandMessage(const Failure &f, const CommandContext &ctx)
{
    switch (f.kind) {
    case Failure::Kind::RangeNotAncestor: {
        const QString start = ctx.hasStart ? ctx.start : f.lower;
        const QString end = ctx.hasEnd ? ctx.end : f.upper;
        QString text = ctx.ancestor.isEmpty()
                ? Text::tr("Requested range %start:%end does not refer to ancestor/descendant revisions "
                     "along the same branch")
                : ctx.ancestor;
        text.replace(u"%start"_s, start);
        text.replace(u"%end"_s, end);
        return text;
    }
    case Failure::Kind::MultipleHeads: {
        QString text = ctx.multipleHeads.isEmpty()
                ? Text::tr("Multiple head revisions are present for given argument '%head_arg'; please "
                     "specify a specific target revision, '<branchname>@%head_arg' to narrow to a "
                     "specific head, or 'heads' for all heads")
                : ctx.multipleHeads;
        text.replace(u"%head_arg"_s, (ctx.hasEnd && !ctx.end.isEmpty()) ? ctx.end : f.argument);
        return text;
    }
    case Failure::Kind::Resolution:
        // Alembic's command layer says "Can't locate revision identified by 'x'" for every
        // resolution failure; an ambiguous prefix keeps the revision map's own message, which
        // names the candidates.
        if (f.message.startsWith(QLatin1String("Multiple revisions start with")))
            return f.message;
        return Text::tr("Can't locate revision identified by '%1'").arg(f.argument);
    case Failure::Kind::Revision:
        break;
    }
    return f.message;
}

bool containsBranchLabel(const QString &s)
{
    return s.contains(QLatin1Char('@'));
}

QString branchLabelError(const QString &s)
{
    return Text::tr("Branch labels are not supported: '%1'; use a revision id, a unique prefix of one, "
              "or head/heads/base").arg(s);
}

bool refuseBranchLabels(const QStringList &args, QString *error)
{
    for (const QString &a : args) {
        if (containsBranchLabel(a)) {
            if (error)
                *error = branchLabelError(a);
            return true;
        }
    }
    return false;
}

} // namespace MigrationDesk::Alembic
