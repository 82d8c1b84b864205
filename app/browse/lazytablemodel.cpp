#include "lazytablemodel.h"
