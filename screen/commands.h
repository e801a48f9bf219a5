/* commands: the table of subcommands.  Each command is one function cmd_<name>(argc, argv)
 * in its own file screen/cmd_<name>.c, with its help text beside it. */
#ifndef DS_COMMANDS_H
#define DS_COMMANDS_H

#define DS_VERSION "0.1.0"

typedef struct {
    const char *name;
    const char *summary;
    const char *help;
    int (*fn)(int argc, char **argv);
} ds_command;

extern const ds_command ds_commands[];

int cmd_show(int argc, char **argv);
extern const char cmd_show_help[];
int cmd_table(int argc, char **argv);
int cmd_ingest(int argc, char **argv);
extern const char cmd_ingest_help[];
int cmd_merge(int argc, char **argv);
extern const char cmd_merge_help[];
int cmd_ls(int argc, char **argv);
extern const char cmd_ls_help[];
int cmd_export(int argc, char **argv);
extern const char cmd_export_help[];
int cmd_binding(int argc, char **argv);
extern const char cmd_binding_help[];
int cmd_dband(int argc, char **argv);
extern const char cmd_dband_help[];
int cmd_orbitals(int argc, char **argv);
extern const char cmd_orbitals_help[];
int cmd_bader(int argc, char **argv);
extern const char cmd_bader_help[];
int cmd_structure(int argc, char **argv);
extern const char cmd_structure_help[];
extern const char cmd_table_help[];
int cmd_rank(int argc, char **argv);
extern const char cmd_rank_help[];

#endif
