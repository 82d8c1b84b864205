#pragma once

namespace MigrationDesk {

// Hides passwords given in --url from other users of the machine: overwrites them with '*' in the
// process's own argv memory, which is what /proc/PID/cmdline and ps show on Linux. Call after the
// arguments were copied (QCoreApplication::arguments()). Main thread, before any other thread reads argv.
class ArgvScrubber
{
public:
    // True when some --url argument carried a non-empty password (in the user info or as ?password=).
    static bool hideUrlPasswords(int argc, char **argv);
    // The same for one URL, in place; true when a non-empty password was overwritten.
    static bool hidePassword(char *url);
};

} // namespace MigrationDesk
