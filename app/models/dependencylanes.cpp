#include "models/dependencylanes.h"

#include <algorithm>

namespace MigrationDesk {

void DependencyLanes::layout(const QStringList &rows, const QHash<QString, QStringList> &dependencies)
{
    m_pieces = QList<QList<int>>(rows.size());
    m_laneCount = 0;

    struct Link { int top; int bottom; };
    QList<Link> links;
    for (int r = 0; r < rows.size(); ++r) {
        for (const QString &dependency : dependencies.value(rows.at(r))) {
            const int other = int(rows.indexOf(dependency));
            if (other < 0 || other == r)
                continue;
            links.append({std::min(r, other), std::max(r, other)});
        }
    }
    // Shortest first, so short links sit next to the graph and long ones further out.
    std::stable_sort(links.begin(), links.end(),
                     [](const Link &a, const Link &b) { return a.bottom - a.top < b.bottom - b.top; });

    QList<QList<Link>> lanes; // the links each lane holds; two in one lane never share a row
    for (const Link &link : std::as_const(links)) {
        int lane = 0;
        for (; lane < lanes.size(); ++lane) {
            const bool overlaps = std::any_of(lanes.at(lane).cbegin(), lanes.at(lane).cend(), [&](const Link &o) {
                return o.top <= link.bottom && link.top <= o.bottom;
            });
            if (!overlaps)
                break;
        }
        if (lane == lanes.size())
            lanes.append(QList<Link>());
        lanes[lane].append(link);
        m_pieces[link.top] << lane * 4 + Upper;
        for (int r = link.top + 1; r < link.bottom; ++r)
            m_pieces[r] << lane * 4 + Through;
        m_pieces[link.bottom] << lane * 4 + Lower;
    }
    m_laneCount = int(lanes.size());
}

} // namespace MigrationDesk
