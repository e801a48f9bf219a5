/* libFuzzer target: the screening recipe (JSON) parser and validator. */
#include <stdlib.h>
#include <string.h>

#include "screen/recipe.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text) return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    recipe r;
    ds_err err;
    ds_err_clear(&err);
    if (recipe_parse(text, "fuzz.json", &r, &err) == DS_OK) recipe_free(&r);
    free(text);
    return 0;
}
