/* main: the dftscreen entry point; dispatches git-style subcommands from one table. */
#include <stdio.h>
#include <string.h>

#include "screen/commands.h"

static const ds_command *find_command(const char *name)
{
    for (const ds_command *c = ds_commands; c->name; c++)
        if (strcmp(c->name, name) == 0) return c;
    return NULL;
}

static void usage(FILE *out)
{
    fprintf(out, "usage: dftscreen COMMAND [ARGS]\n\n"
                 "Reads VASP and CP2K outputs, computes descriptors, ranks candidates.\n\ncommands:\n");
    for (const ds_command *c = ds_commands; c->name; c++) fprintf(out, "  %-10s %s\n", c->name, c->summary);
    fprintf(out, "\n'dftscreen help COMMAND' shows a command's options.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *name = argv[1];
    if (strcmp(name, "help") == 0 || strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        if (argc > 2) {
            const ds_command *c = find_command(argv[2]);
            if (!c) {
                fprintf(stderr, "dftscreen: no such command '%s'\n", argv[2]);
                return 2;
            }
            fputs(c->help, stdout);
            return 0;
        }
        usage(stdout);
        return 0;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
        printf("dftscreen %s\n", DS_VERSION);
        return 0;
    }
    const ds_command *c = find_command(name);
    if (!c) {
        fprintf(stderr, "dftscreen: no such command '%s'\n\n", name);
        usage(stderr);
        return 2;
    }
    return c->fn(argc - 1, argv + 1);
}
