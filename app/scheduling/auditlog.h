#pragma once

// The audit trail moved to db/auditlog.h once the Tables view's unmasking needed it as well; this
// name stays for the trash code and tests that include it.
#include "db/auditlog.h"
