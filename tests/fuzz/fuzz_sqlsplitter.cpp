#include "fuzzmain.h"

MD_FUZZ_MAIN(sqlSplitter)
