#pragma once

#include "scheduling/schedulingenums.h"

#include <QByteArray>

#include <iterator>
#include <vector>

namespace MigrationDesk {

// The words the demo rows are made of (names, clients, places, titles, notes), escaped once for
// COPY's text format. Built once per run; read-only afterwards, on the generator's thread.
struct DemoValues
{
    static constexpr int kTypeCount = int(std::size(SchedulingEnums::kScheduleTypes));

    DemoValues();

    std::vector<QByteArray> koreanSurnames, koreanSurnamesRoman, koreanGiven, koreanGivenRoman;
    std::vector<QByteArray> englishFirst, englishFirstLower, englishLast, englishLastLower;
    std::vector<QByteArray> domains, departments, clients;
    std::vector<QByteArray> visitLocations, meetingLocations, trainingLocations, officeLocations;
    std::vector<QByteArray> genericTitles[kTypeCount]; // one pool per ScheduleType, in its order
    std::vector<QByteArray> clientTitleSuffixes, descriptions, purposes, results, followUps;
};

} // namespace MigrationDesk
