#include "schemasnapshot.h"
