// The jansson API nbrun uses. jansson's inline helpers (json_decref and friends)
// come through as Swift-callable static inline functions.
#include <jansson.h>
