#pragma once

// One libFuzzer entry point over one of the shared Fuzz:: functions: any broken invariant is a crash,
// so libFuzzer keeps the input. Included once by each fuzz_<what>.cpp.

#include "fuzztargets.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

#define MD_FUZZ_MAIN(function)                                                                          \
    extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)                            \
    {                                                                                                   \
        const QString broken =                                                                          \
            MigrationDesk::Fuzz::function(QByteArray(reinterpret_cast<const char *>(data), int(size))); \
        if (!broken.isEmpty()) {                                                                        \
            std::fprintf(stderr, "invariant broken: %s\n", broken.toUtf8().constData());                \
            std::abort();                                                                               \
        }                                                                                               \
        return 0;                                                                                       \
    }
