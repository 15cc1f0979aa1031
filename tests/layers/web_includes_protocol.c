/*  A deliberate include of the protocol from the web console (the console
    uses the programme and the rendering layer, never the protocol). The
    layers.web_includes_protocol test expects the compiler to refuse it. */
#include "fg_web.h"
#include "fg_household.h"
#include "fg_render.h"
#ifndef FUGAI_LAYERS_CONTROL
#include "fgp_link.h"
#endif

int fg_web_layers_probe (void);
int fg_web_layers_probe (void) { return 0; }
