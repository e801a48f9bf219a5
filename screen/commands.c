/* commands: registration of every subcommand (name, one-line summary, help, function). */
#include "screen/commands.h"

#include <stddef.h>

const ds_command ds_commands[] = {
    {"show", "read one run (directory or file) and print its summary or JSON", cmd_show_help, cmd_show},
    {"table", "one row per run for several runs (Markdown or CSV)", cmd_table_help, cmd_table},
    {"ingest", "read every run under ROOTs into one HDF5 campaign store (parallel, incremental, crash-safe)", cmd_ingest_help, cmd_ingest},
    {"merge", "combine shard stores written by ingest --shard", cmd_merge_help, cmd_merge},
    {"ls", "list the runs of a campaign store with their flags", cmd_ls_help, cmd_ls},
    {"export", "export a campaign store as JSON (the show --json objects) or CSV", cmd_export_help, cmd_export},
    {"binding", "binding energy E(complex) - sum E(parts), with the consistency guard", cmd_binding_help, cmd_binding},
    {"dband", "d-band centre, width, filling, skewness, kurtosis, upper edge of selected atoms", cmd_dband_help, cmd_dband},
    {"orbitals", "HOMO/LUMO/gap (VBM/CBM) per spin and overall", cmd_orbitals_help, cmd_orbitals},
    {"bader", "Bader charges, volumes, net charges and fragment charge transfer of a CHGCAR or cube density", cmd_bader_help, cmd_bader},
    {"rank", "rank screening candidates with a JSON recipe; writes report.md/html, ranking.csv/json", cmd_rank_help, cmd_rank},
    {"structure", "space group, unique sites, fragments, metal-site coordination, host-guest atoms", cmd_structure_help, cmd_structure},
    {NULL, NULL, NULL, NULL},
};
