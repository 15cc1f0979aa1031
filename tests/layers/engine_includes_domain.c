/*  A deliberate upward include: an engine source that includes a header of
    the programme. The layers.upward_include test compiles this file with
    the engine library's include path and expects the compiler to refuse
    it; layers.engine_alone compiles it without the include (control). */
#include "fg_replica.h"
#ifndef FUGAI_LAYERS_CONTROL
#include "fg_pairing.h"
#endif

int fg_layers_probe (void);
int fg_layers_probe (void) { return 0; }
