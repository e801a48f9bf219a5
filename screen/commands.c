/* commands: registration of every subcommand (name, one-line summary, help, function). */
#include "screen/commands.h"

#include <stddef.h>

const ds_command ds_commands[] = {
    {"show", "read one run (directory or file) and print its summary or JSON", cmd_show_help, cmd_show},
    {"table", "one row per run for several runs (Markdown or CSV)", cmd_table_help, cmd_table},
    {NULL, NULL, NULL, NULL},
};
