/*  A deliberate upward include: a protocol source that includes a header of
    the programme (the protocol uses the engine only). The
    layers.protocol_includes_domain test expects the compiler to refuse it. */
#include "fgp_stream.h"
#include "fg_catalogue.h"

int fgp_layers_probe (void);
int fgp_layers_probe (void) { return 0; }
