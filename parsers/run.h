/* run: the one in-memory representation of a finished calculation (VASP or CP2K).
 * Every parser fills a ds_run; descriptors, the store and the report read it.
 * Plain structs with explicit ownership: whoever calls a *_read frees with run_free.
 * Units are in the field names; unknown numbers are NAN, unknown flags are -1. */
#ifndef DS_RUN_H
#define DS_RUN_H

#include <stddef.h>

#include "parsers/io.h"

#define DS_HA_TO_EV 27.211386245988      /* CODATA 2018, as pymatgen/scipy */
#define DS_BOHR_TO_ANGSTROM 0.529177210903 /* CODATA 2018 */
#define DS_EV_TO_KCAL_PER_MOL 23.060548
#define DS_EV_TO_KJ_PER_MOL 96.485332

typedef enum { RUN_CODE_UNKNOWN = 0, RUN_CODE_VASP, RUN_CODE_CP2K } run_code;

/* A structure: lattice rows a, b, c and Cartesian positions.  Species live in the run
 * (they do not change between steps).  selective is NULL unless selective dynamics is
 * set; then selective[i][k] = 1 when coordinate k of atom i may move. */
typedef struct {
    int n_atoms;
    int has_lattice;                 /* 0 for a non-periodic CP2K run without a cell */
    double lattice_angstrom[3][3];
    double (*positions_angstrom)[3]; /* n_atoms rows, owned */
    unsigned char (*selective)[3];   /* owned or NULL */
} run_structure;

/* One ionic (geometry) step. */
typedef struct {
    double energy_free_eV;          /* VASP free energy TOTEN (e_fr_energy); CP2K: total energy */
    double energy_no_entropy_eV;    /* VASP energy without entropy (e_wo_entrp) */
    double energy_sigma0_eV;        /* VASP energy(sigma->0) (e_0_energy, corrected); CP2K: total */
    double energy_dispersion_eV;    /* dispersion correction part, NAN if not printed */
    double max_force_eV_per_angstrom;
    double magnetization_total;     /* mu_B; NAN if not printed */
    int n_scf_steps;                /* electronic iterations of this step, -1 unknown */
    int scf_converged;              /* 1 / 0 / -1 unknown */
    int has_structure;              /* 1 when structure holds this step's geometry */
    run_structure structure;
    double (*forces_eV_per_angstrom)[3]; /* owned or NULL */
} run_step;

/* Eigenvalues and occupations: energies_eV[(spin * n_kpoints + k) * n_bands + b]. */
typedef struct {
    int n_spins, n_kpoints, n_bands;
    double *kpoints_frac;   /* [n_kpoints][3] reciprocal fractional, owned */
    double *kweights;       /* [n_kpoints], owned (as written; VASP sums to 1) */
    double *energies_eV;    /* owned */
    double *occupations;    /* owned; 0..1 (VASP ISPIN=2, CP2K UKS) or 0..2 (restricted) */
} run_eigen;

/* Grid DOS (VASP DOSCAR / vasprun.xml).  Energies are absolute (not shifted by E_F).
 * n_spins: 1, 2 (up, down) or 4 (noncollinear: total, mx, my, mz).
 * total[s * n_points + i], integrated likewise.
 * Projected: pdos[((atom * n_pdos_spins + s) * n_orbitals + o) * n_points + i], with
 * orbital labels as the file names them (s, py, pz, px, dxy, ... or s, p, d). */
typedef struct {
    int n_points, n_spins;
    double *energies_eV;    /* owned */
    double *total;          /* states/eV, owned */
    double *integrated;     /* owned or NULL */
    int n_pdos_atoms;       /* 0 when no projection */
    int n_pdos_spins;
    int n_orbitals;
    char (*orbital_labels)[12];
    double *pdos;           /* owned or NULL */
} run_dos;

/* CP2K-style projected levels (a .pdos file): one kind (or atom list) and one spin,
 * the MO eigenvalues with their occupations and their weight on each orbital. */
typedef struct {
    char kind[32];          /* CP2K kind name (element or user label) */
    char element[4];
    int spin;               /* 0 = alpha or restricted, 1 = beta */
    int n_levels, n_orbitals;
    char (*orbital_labels)[12];
    double *energies_eV;    /* [n_levels], absolute, owned */
    double *occupations;    /* [n_levels], owned */
    double *weights;        /* [n_levels * n_orbitals], owned */
    double fermi_eV;        /* from the header; NAN if absent */
    char source[512];       /* file it came from */
} run_pdos_set;

/* One kind of atom: VASP ion type (POTCAR) or CP2K &KIND. */
typedef struct {
    char symbol[4];         /* element symbol */
    char label[32];         /* kind label (CP2K) or POTCAR symbol (VASP, e.g. Fe_pv) */
    int count;              /* atoms of this kind (VASP ions per type) */
    double zval;            /* valence electrons (POTCAR ZVAL, GTH q); NAN unknown */
    double mass_amu;        /* NAN unknown */
    char pseudopotential[96]; /* POTCAR TITEL or CP2K POTENTIAL */
    char basis[96];         /* CP2K BASIS_SET; "" for VASP */
} run_kind;

/* A raw (name, value) parameter as the code echoed it (INCAR tag, CP2K keyword). */
typedef struct {
    char name[48];
    char value[96];
} run_param;

/* Exchange-correlation identity, mapped onto libxc (descriptors/xc_identity). */
typedef struct {
    char label[64];         /* e.g. "PBE", "HSE06", "PBE+U", "SCAN" */
    char libxc_names[160];  /* libxc identifiers joined by '+', e.g. "gga_x_pbe+gga_c_pbe" */
    int libxc_ids[4];       /* libxc functional ids, 0-terminated */
    char family[16];        /* "LDA", "GGA", "MGGA", "HYB_GGA", ... */
    double exact_exchange_fraction; /* 0 for semilocal */
    double range_separation_bohr_inv; /* HSE omega (1/bohr); 0 when none; NAN unknown */
} run_xc;

/* What a comparison of energies must agree on.  Strings are "" when unknown. */
typedef struct {
    char functional_raw[64];   /* as the code wrote it: VASP GGA/METAGGA tag, CP2K functional */
    run_xc xc;
    char dispersion[32];       /* "none", "D2", "D3", "D3(BJ)", "TS", "MBD", ... */
    double encut_eV;           /* VASP ENCUT */
    double cutoff_Ry, rel_cutoff_Ry; /* CP2K grid cutoffs */
    char prec[16];
    int spin_polarized;        /* VASP ISPIN=2 or CP2K UKS/LSD: 1; 0 no; -1 unknown */
    int noncollinear;          /* -1 unknown */
    int ismear; double sigma_eV;
    int kmesh[3]; char kmesh_type[24];
    int ldau;                  /* DFT+U on: 1 */
    char ldau_u_eV[96];        /* LDAUU as written, per type */
    double charge;             /* system charge (CP2K CHARGE, VASP NELECT offset unknown: NAN) */
    int multiplicity;          /* 2S+1, -1 unknown */
    double nelect;             /* number of electrons */
    int nelm, nsw, ibrion;     /* -1 unknown */
    double ediff, ediffg;
    char run_type[32];         /* CP2K RUN_TYPE; VASP: "static", "relax", "md", ... */
    char periodicity[8];       /* CP2K PERIODIC (XYZ, NONE, ...) */
} run_settings;

/* Per-atom charges as printed by the code (Mulliken, Hirshfeld, Bader, ...). */
typedef struct {
    char method[24];           /* "mulliken", "hirshfeld", "bader" */
    int n_atoms;
    double *population_e;      /* electrons on the atom, owned (NAN where unknown) */
    double *net_charge_e;      /* net charge, owned */
    double *spin_moment;       /* owned or NULL */
} run_charges;

/* Counterpoise (BSSE) energies from a CP2K RUN_TYPE BSSE output.  Configuration i is one
 * "BSSE CALCULATION  FRAGMENT CONF: <glb>  FRAGMENT SUBCONF: <sub>" block: conf[i] says whose
 * basis functions are present (GLB_CONF, one digit per fragment), subconf[i] whose atoms are
 * real (SUB_CONF); its energy is the block's last "Total energy:" line (Hartree, full
 * precision).  For two fragments A, B (Boys-Bernardi counterpoise):
 *   interaction_eV           = E(AB in AB) - E(A in A) - E(B in B)          (uncorrected)
 *   corrected_interaction_eV = E(AB in AB) - E(A in AB) - E(B in AB)        (CP-corrected)
 *   correction_eV            = corrected - uncorrected = sum_X [E(X in X) - E(X in AB)] >= 0
 * computed from the configuration energies; printed_* are CP2K's "BSSE RESULTS" lines
 * (6 decimals in Hartree), kept to check against.  NAN where absent. */
#define RUN_BSSE_MAX_CONFIGS 32
typedef struct {
    int present;
    int n_fragments;
    int n_configs;
    char conf[RUN_BSSE_MAX_CONFIGS][12], subconf[RUN_BSSE_MAX_CONFIGS][12];
    double energies_Ha[RUN_BSSE_MAX_CONFIGS];
    double energies_eV[RUN_BSSE_MAX_CONFIGS];
    char labels[RUN_BSSE_MAX_CONFIGS][48];  /* "frag 1 in basis 1+2", "frag 1+2 in basis 1+2" */
    double interaction_eV;
    double corrected_interaction_eV;
    double correction_eV;
    double printed_cp_corrected_total_eV;   /* "CP-corrected Total energy:" */
    double printed_interaction_eV;          /* "BSSE-free interaction energy:" */
} run_bsse;

/* The checksum of a run's main output (vasprun.xml, else OUTCAR or OSZICAR; a CP2K output)
 * taken from the bytes its reader parsed: file is "" when the reader streamed the file instead
 * of reading it whole. */
typedef struct {
    char file[1024];
    uint64_t bytes;
    uint64_t crc64_xz;
} run_file_digest;

/* Where each quantity came from. */
typedef struct {
    char quantity[32];
    char file[256];
} run_source;

typedef struct {
    run_code code;
    char code_version[64];
    char path[512];            /* the directory or file read */
    char title[128];           /* system name as written (POSCAR comment, CP2K PROJECT) */

    int n_atoms;
    char (*species)[4];        /* element per atom, owned */
    int *kind_of_atom;         /* index into kinds per atom, owned or NULL */
    int n_kinds;
    run_kind *kinds;           /* owned */

    int has_initial, has_final;
    run_structure initial;     /* input geometry */
    run_structure final;       /* last complete geometry */

    int n_steps;
    run_step *steps;           /* ionic steps, owned */

    double fermi_eV;           /* NAN unknown */
    double homo_eV, lumo_eV;   /* as the code printed or as derived by the reader; NAN */
    int has_eigen;
    run_eigen eigen;
    int has_dos;
    run_dos dos;
    int n_pdos_sets;
    run_pdos_set *pdos_sets;   /* CP2K .pdos files, owned */

    double magnetization_total;    /* final, mu_B; NAN */
    double *magnetization_per_site; /* final, mu_B per atom (total over orbitals), owned or NULL */

    int n_charges;
    run_charges *charges;      /* owned */
    run_bsse bsse;

    run_settings settings;
    int n_params;
    run_param *params;         /* owned; append through run_add_param only */
    int *param_slots;          /* owned: hash index of params by name (open addressing,
                                * -1 empty), so that echoing 300 INCAR tags is not 45,000
                                * strcmp calls; NULL until the first param */
    int n_param_slots;         /* a power of two, at least twice n_params */

    /* quality flags: 1 yes, 0 no, -1 unknown */
    int terminated_normally;
    int converged_electronic;  /* every ionic step reached its SCF criterion */
    int converged_ionic;
    int truncated;             /* the file ends before the code finished writing it */
    int has_overflow_fields;   /* Fortran '****' seen */
    int has_nonfinite;         /* NaN/Inf seen */
    int n_code_warnings;       /* warnings the code itself counted (CP2K) */

    int n_warnings;
    char **warnings;           /* owned strings: what the reader noticed */
    int n_sources;
    run_source *sources;
    run_file_digest main_digest;
} ds_run;

/* Lifecycle. */
void run_init(ds_run *run);
void run_free(ds_run *run);
void run_structure_free(run_structure *s);
int run_structure_alloc(run_structure *s, int n_atoms);
int run_structure_copy(run_structure *dst, const run_structure *src);

/* Growing arrays; return 0 on success, DS_ENOMEM on failure. */
int run_add_warning(ds_run *run, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int run_add_source(ds_run *run, const char *quantity, const char *file);
/* Records r's digest (when it read its file whole) as the run's main_digest, for file. */
void run_note_main_digest(ds_run *run, const char *file, const ds_reader *r);
const char *run_source_of(const ds_run *run, const char *quantity);
int run_add_param(ds_run *run, const char *name, const char *value);
const char *run_param_get(const ds_run *run, const char *name);
run_step *run_push_step(ds_run *run);     /* zeroed step with NAN energies */
run_charges *run_add_charges(ds_run *run, const char *method, int n_atoms);
int run_set_species(ds_run *run, int n_atoms);  /* allocates species (and kind_of_atom) */

/* The energy to subtract in reaction energies: VASP energy(sigma->0) or CP2K total of
 * the last complete step; NAN when no step completed. */
double run_energy_eV(const ds_run *run);
double run_volume_angstrom3(const double lattice[3][3]);
const char *run_code_name(run_code code);

#endif
