#include "rowfetcher.h"
