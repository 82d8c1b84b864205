#include "cli/argvscrubber.h"

#include <cstring>
#include <strings.h>

namespace MigrationDesk {

namespace {

bool blank(char *from, char *to)
{
    bool any = false;
    for (char *p = from; p < to; ++p) {
        *p = '*';
        any = true;
    }
    return any;
}

} // namespace

bool ArgvScrubber::hidePassword(char *url)
{
    // The same reading as ConnectionSettings::fromUrl: the query starts at the first '?', the
    // authority ends at the first '/' before it, and the user info at the authority's last '@'.
    char *rest = std::strstr(url, "://");
    if (!rest)
        return false;
    rest += 3;
    char *query = std::strchr(rest, '?');
    char *end = query ? query : rest + std::strlen(rest);
    if (char *slash = static_cast<char *>(std::memchr(rest, '/', size_t(end - rest))))
        end = slash;
    bool hidden = false;
    char *at = nullptr;
    for (char *p = rest; p < end; ++p) {
        if (*p == '@')
            at = p;
    }
    if (at) {
        if (char *colon = static_cast<char *>(std::memchr(rest, ':', size_t(at - rest))))
            hidden = blank(colon + 1, at);
    }
    for (char *param = query; param && *param; ) {
        ++param; // past '?' or '&'
        char *next = std::strchr(param, '&');
        char *stop = next ? next : param + std::strlen(param);
        static const char key[] = "password=";
        if (size_t(stop - param) >= sizeof key - 1 && strncasecmp(param, key, sizeof key - 1) == 0)
            hidden = blank(param + sizeof key - 1, stop) || hidden;
        param = next;
    }
    return hidden;
}

bool ArgvScrubber::hideUrlPasswords(int argc, char **argv)
{
    bool hidden = false;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--url") == 0 && i + 1 < argc)
            hidden = hidePassword(argv[++i]) || hidden;
        else if (std::strncmp(argv[i], "--url=", 6) == 0)
            hidden = hidePassword(argv[i] + 6) || hidden;
    }
    return hidden;
}

} // namespace MigrationDesk
