/* json_text: prints a cJSON tree as text, in cJSON's own layout (compact, or formatted with
 * tabs as cJSON_Print does), but with every number exact.  cJSON 1.7.15 prints a number with
 * 15 significant digits whenever those read back to within DBL_EPSILON of it, so 1 ulp can be
 * lost (0.1 + 0.2 comes out as "0.3"); here 15 digits are used only when they read back to the
 * very same double, 17 otherwise, and a number with a short decimal form is written without
 * going through printf at all (most values in a run: energies and coordinates as the codes
 * printed them). */
#ifndef DS_JSON_TEXT_H
#define DS_JSON_TEXT_H

#include <cJSON.h>

/* The text of one number as json_text_print writes it: "null" for NaN and infinities, else
 * the %.15g text when it reads back exactly and the %.17g text otherwise (cJSON's rule, made
 * exact).  out needs 32 bytes; returns the length. */
int json_number_text(double value, char out[32]);

/* The whole tree as a NUL-terminated string (malloc'd; free() it), or NULL when out of
 * memory.  formatted: cJSON_Print's layout; otherwise cJSON_PrintUnformatted's. */
char *json_text_print(const cJSON *item, int formatted);

#endif
