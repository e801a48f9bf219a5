#!/bin/sh
# Regenerates the demo campaign (workflows/demo_campaign) with Debian's cp2k (2023.1):
# real CP2K runs, cheap settings identical for every run so that their energies may be
# subtracted: Quickstep GPW, PBE + DFT-D3(BJ), DZVP-MOLOPT-SR-GTH basis, GTH-PBE
# pseudopotentials, CUTOFF 250 Ry / REL_CUTOFF 40 Ry, cubic 11 A box, PERIODIC NONE with the
# WAVELET Poisson solver, molecule centred, diagonalisation with Broyden mixing, EPS_SCF 1e-6,
# loosened BFGS criteria (MAX_FORCE 1e-3 Ha/bohr).  The cutoff and box are below converged
# values: these numbers demonstrate the workflow, they are not publishable binding energies.
# Why DZVP and not the cheaper SZV (one contracted function per shell, fitted to the neutral
# atom): SZV cannot describe the bare semicore cations (Zn2+ alone 3.29 Ha above its DZVP
# energy, -56.157 vs -59.450 Ha, so E_bind(Zn2+-DMF) came out -97.6 eV), and DZVP metals with
# SZV C/H/N/O overbind through basis-set superposition (Li+-DMF -3.27 eV against -2.36 eV at
# DZVP throughout in ../shared/data/cp2k).  The grid, not the basis, dominates the cost here.
# Why study (2) takes its energies from 400 Ry single points (sp400/): the semicore GTH
# potentials of Na (q9), K (q9), Mg (q10) and Zn (q12) are hard, and at 250 Ry the energy of a
# bare Na+ moves by 1 mHa when it is shifted 0.009 A against the grid (0.04 mHa at 400 Ry):
# this egg-box ripple let the Na+-DMF optimisation wander off-axis for 60 steps and gave
# E_bind(Na+) = -2.77 eV, stronger than Li+ (-2.39 eV), which is wrong.  The optimisations stay
# at 250 Ry (time budget); every energy of study (2) is a 400 Ry single point at those
# geometries, so all its runs share one cutoff.
#
# Study (2), cation anchors binding to DMF (recipe workflows/cation_dmf.json):
#   dmf/                 DMF geometry optimisation (start: internal coordinates below)
#   li-ion/ na-ion/ k-ion/ mg-ion/ zn-ion/    bare cations, single points
#   li-dmf/ ... zn-dmf/  M-DMF complexes: the optimised DMF with the cation on the C=O axis
#                        beyond O, geometry optimisation, PDOS per kind at the end; MAX_ITER 60
#                        (Li, Na, K), 20 for Mg2+ and Zn2+ (time budget: a complex still moving
#                        after 20 steps ends "MAXIMUM NUMBER OF OPTIMIZATION STEPS REACHED" and its
#                        binding energy is reported provisional)
# Study (3), sodium reduction of solvents (recipe workflows/na_anode_reduction.json):
#   h2o/ mecn/           water and acetonitrile geometry optimisations (DMF: dmf/)
#   na-atom/             neutral Na atom, UKS doublet
#   na0-dmf/ na0-h2o/ na0-mecn/  Na atom on the solvent's O (N) of the optimised solvent, on the
#                        C=O / C#N axis (water: the bisector) at 2.30 A (MeCN 2.40 A), UKS
#                        doublet, single point (a Na atom on a neutral solvent is weakly bound and
#                        wanders in an optimisation: vertical energies at one fixed distance), PDOS
#                        and the electron density cube (Bader: Na -> solvent transfer)
#   sp400/dmf, sp400/X-ion, sp400/X-dmf  400 Ry single points of study (2) at the final
#                        250 Ry geometries (PDOS for the complexes; Zn2+-DMF with OT)
# The consistency guard:
#   variants/dmf-cut200/ the optimised DMF with CUTOFF 200 Ry: a run the guard must refuse
#                        to combine with the others
#
# Usage: sh make_campaign.sh [NAME...]   (from any folder; default: every run, in order).
# An optimisation (solvent or complex) starts from its own last frame when NAME/NAME-pos-1.xyz.gz
# exists (a rerun continues from the committed geometry; delete NAME/ to start from the built one).
# One MPI rank, OMP_NUM_THREADS=1.  Each run writes NAME/NAME.inp, NAME/NAME.out.gz, the
# trajectory NAME-pos-1.xyz.gz and the .pdos files (gzipped); restart/wavefunction/Hessian
# files are deleted.  Complexes start from dmf/dmf-pos-1.xyz.gz (run dmf first).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
CP2K=${CP2K:-$(command -v cp2k.psmp || command -v cp2k)}
export OMP_NUM_THREADS=1

# input NAME RUN_TYPE CHARGE MULT UKS CUTOFF PDOS(yes/no/cube/density) COORDS [MAX_ITER [SOLVER]]
#   -> NAME/NAME.inp   (SOLVER: diag (default; diagonalisation, Broyden mixing 0.3) or ot
#   (orbital transformation, DIIS); it changes the SCF path, not the converged energy)
# (cube: PDOS plus the electron density cube at STRIDE 2, rewritten at every geometry step,
# so the file left is the final geometry's density, for Bader charge transfer; density: the
# cube without PDOS)
input() {
  name=$1; dir="$HERE/$name"; base=$(basename "$name")
  mkdir -p "$dir"
  pdos=""
  [ "$7" != no ] && [ "$7" != density ] && pdos="      &PDOS
        COMPONENTS
        NLUMO 4
      &END PDOS"
  { [ "$7" = cube ] || [ "$7" = density ]; } && pdos="$pdos
      &E_DENSITY_CUBE
        STRIDE 2
      &END E_DENSITY_CUBE"
  if [ "${10:-diag}" = ot ]; then
    solver="      &OT
        MINIMIZER DIIS
        PRECONDITIONER FULL_ALL
      &END OT"
  else
    solver="      ADDED_MOS 6
      &MIXING
        METHOD BROYDEN_MIXING
        ALPHA 0.3
        NBROYDEN 8
      &END MIXING"
  fi
  kinds=""
  for el in $(printf '%s\n' "$8" | awk 'NF==4{print $1}' | sort -u); do
    kinds="$kinds    &KIND $el
      BASIS_SET DZVP-MOLOPT-SR-GTH
      POTENTIAL GTH-PBE
    &END KIND
"
  done
  cat > "$dir/$base.inp" <<INP
&GLOBAL
  PROJECT $base
  RUN_TYPE $2
  PRINT_LEVEL MEDIUM
&END GLOBAL
&MOTION
  &GEO_OPT
    OPTIMIZER BFGS
    MAX_ITER ${9:-60}
    MAX_FORCE 1.0E-3
    RMS_FORCE 7.0E-4
    MAX_DR 4.0E-3
    RMS_DR 3.0E-3
  &END GEO_OPT
&END MOTION
&FORCE_EVAL
  METHOD Quickstep
  &DFT
    BASIS_SET_FILE_NAME BASIS_MOLOPT
    POTENTIAL_FILE_NAME GTH_POTENTIALS
    CHARGE $3
    MULTIPLICITY $4
    UKS $5
    &MGRID
      CUTOFF $6
      REL_CUTOFF 40
    &END MGRID
    &POISSON
      PERIODIC NONE
      POISSON_SOLVER WAVELET
    &END POISSON
    &SCF
      SCF_GUESS ATOMIC
      EPS_SCF 1.0E-6
      MAX_SCF 200
$solver
    &END SCF
    &XC
      &XC_FUNCTIONAL PBE
      &END XC_FUNCTIONAL
      &VDW_POTENTIAL
        POTENTIAL_TYPE PAIR_POTENTIAL
        &PAIR_POTENTIAL
          TYPE DFTD3(BJ)
          PARAMETER_FILE_NAME dftd3.dat
          REFERENCE_FUNCTIONAL PBE
        &END PAIR_POTENTIAL
      &END VDW_POTENTIAL
    &END XC
    &PRINT
      &MO
        EIGENVALUES
        OCCUPATION_NUMBERS
        NDIGITS 8
      &END MO
      &MULLIKEN
      &END MULLIKEN
      &HIRSHFELD
        SHAPE_FUNCTION DENSITY
      &END HIRSHFELD
$pdos
    &END PRINT
  &END DFT
  &SUBSYS
    &CELL
      ABC 11.0 11.0 11.0
      PERIODIC NONE
    &END CELL
    &COORD
$8
    &END COORD
    &TOPOLOGY
      &CENTER_COORDINATES
      &END CENTER_COORDINATES
    &END TOPOLOGY
$kinds  &END SUBSYS
&END FORCE_EVAL
INP
}

# execute NAME: runs the input written by `input`, keeps outputs gzipped
execute() {
  dir="$HERE/$1"; base=$(basename "$1")
  start=$(date +%s)
  (cd "$dir" && "$CP2K" -i "$base.inp" -o "$base.out" > /dev/null 2>&1 || true)
  echo "$1: $(( $(date +%s) - start )) s" >&2
  rm -f "$dir"/*.wfn* "$dir"/*-RESTART* "$dir"/*.bak* "$dir"/*.Hessian "$dir"/*.restart
  for f in "$dir"/*.out "$dir"/*-pos-1.xyz "$dir"/*.pdos "$dir"/*.cube; do [ -e "$f" ] && gzip -9 -f "$f"; done
  return 0
}

# last_frame NAME: the last frame of NAME's trajectory as COORD lines
last_frame() {
  zcat "$HERE/$1/$1-pos-1.xyz.gz" | awk 'NR==1{n=$1} {line[NR]=$0} END{s=NR-n+1; for(i=s;i<=NR;i++){split(line[i],f," "); printf "      %-2s %14.8f %14.8f %14.8f\n", f[1], f[2], f[3], f[4]}}'
}

# with_ion COORDS SYMBOL DISTANCE DONOR: COORDS plus SYMBOL on the axis from the centroid of
# the atoms bonded to the DONOR atom (O or N, within 1.7 A) through the donor, DISTANCE A
# beyond it (DMF, MeCN: along C=O / C#N; water: along the H-O-H bisector).
with_ion() {
  printf '%s\n' "$1"
  printf '%s\n' "$1" | awk -v sym="$2" -v d="$3" -v don="$4" '
    NF==4 { n++; el[n]=$1; x[n]=$2; y[n]=$3; z[n]=$4; if ($1==don && !o) o=n }
    END {
      for (i=1;i<=n;i++) if (i!=o) {
        r=sqrt((x[i]-x[o])^2+(y[i]-y[o])^2+(z[i]-z[o])^2)
        if (r<1.7) {m++; cx+=x[i]; cy+=y[i]; cz+=z[i]}
      }
      ux=x[o]-cx/m; uy=y[o]-cy/m; uz=z[o]-cz/m; r=sqrt(ux*ux+uy*uy+uz*uz); ux/=r; uy/=r; uz/=r
      printf "      %-2s %14.8f %14.8f %14.8f\n", sym, x[o]+d*ux, y[o]+d*uy, z[o]+d*uz
    }'
}

# start_from NAME COORDS: NAME's own last frame when it has a trajectory, else COORDS
start_from() {
  if [ -f "$HERE/$1/$1-pos-1.xyz.gz" ]; then last_frame "$1"; else printf '%s\n' "$2"; fi
}

DMF0="      N     0.0000    0.0000    0.0000
      C     1.3600    0.0000    0.0000
      O     2.0655    1.0076    0.0000
      H     1.7898   -1.0126    0.0000
      C    -0.7684    1.2297    0.0000
      C    -0.6807   -1.2803    0.0000
      H    -0.0898    2.0827    0.0000
      H    -1.3969    1.2660   -0.8898
      H    -1.3969    1.2660    0.8898
      H    -1.7588   -1.1192    0.0000
      H    -0.3979   -1.8427   -0.8898
      H    -0.3979   -1.8427    0.8898"
H2O0="      O     0.0000    0.0000    0.1190
      H     0.0000    0.7630   -0.4770
      H     0.0000   -0.7630   -0.4770"
MECN0="      N     0.0000    0.0000    1.7400
      C     0.0000    0.0000    0.5800
      C     0.0000    0.0000   -0.8800
      H     1.0270    0.0000   -1.2500
      H    -0.5135    0.8894   -1.2500
      H    -0.5135   -0.8894   -1.2500"

make_one() {
  case $1 in
    dmf) input dmf GEO_OPT 0 1 .FALSE. 250 no "$(start_from dmf "$DMF0")" ;;
    h2o) input h2o GEO_OPT 0 1 .FALSE. 250 no "$(start_from h2o "$H2O0")" ;;
    mecn) input mecn GEO_OPT 0 1 .FALSE. 250 no "$(start_from mecn "$MECN0")" ;;
    li-ion) input li-ion ENERGY 1 1 .FALSE. 250 no "      Li 0.0 0.0 0.0" ;;
    na-ion) input na-ion ENERGY 1 1 .FALSE. 250 no "      Na 0.0 0.0 0.0" ;;
    k-ion) input k-ion ENERGY 1 1 .FALSE. 250 no "      K 0.0 0.0 0.0" ;;
    mg-ion) input mg-ion ENERGY 2 1 .FALSE. 250 no "      Mg 0.0 0.0 0.0" ;;
    zn-ion) input zn-ion ENERGY 2 1 .FALSE. 250 no "      Zn 0.0 0.0 0.0" ;;
    na-atom) input na-atom ENERGY 0 2 .TRUE. 250 no "      Na 0.0 0.0 0.0" ;;
    li-dmf) input li-dmf GEO_OPT 1 1 .FALSE. 250 yes "$(start_from li-dmf "$(with_ion "$(last_frame dmf)" Li 1.80 O)")" ;;
    na-dmf) input na-dmf GEO_OPT 1 1 .FALSE. 250 yes "$(start_from na-dmf "$(with_ion "$(last_frame dmf)" Na 2.20 O)")" ;;
    k-dmf) input k-dmf GEO_OPT 1 1 .FALSE. 250 yes "$(start_from k-dmf "$(with_ion "$(last_frame dmf)" K 2.60 O)")" ;;
    mg-dmf) input mg-dmf GEO_OPT 2 1 .FALSE. 250 yes "$(start_from mg-dmf "$(with_ion "$(last_frame dmf)" Mg 1.90 O)")" 20 ;;
    # zn-dmf: with diagonalisation the occupations flipped at every SCF step (energy +-2 Ha
    # for 126 steps, Broyden 0.3 and 0.1 alike): OT
    zn-dmf) input zn-dmf GEO_OPT 2 1 .FALSE. 250 yes "$(start_from zn-dmf "$(with_ion "$(last_frame dmf)" Zn 1.90 O)")" 20 ot ;;
    na0-dmf) input na0-dmf ENERGY 0 2 .TRUE. 250 cube "$(with_ion "$(last_frame dmf)" Na 2.30 O)" ;;
    # na0-h2o without PDOS: with it, CP2K 2023.1 aborted after the converged SCF in the PDOS's
    # OT eigensolver for the unoccupied beta levels ("Cholesky decomposition failed")
    na0-h2o) input na0-h2o ENERGY 0 2 .TRUE. 250 density "$(with_ion "$(last_frame h2o)" Na 2.30 O)" ;;
    na0-mecn) input na0-mecn ENERGY 0 2 .TRUE. 250 cube "$(with_ion "$(last_frame mecn)" Na 2.40 N)" ;;
    # Study (2) energies: 400 Ry single points at the 250 Ry geometries (see the header)
    sp400/dmf) input sp400/dmf ENERGY 0 1 .FALSE. 400 no "$(last_frame dmf)" ;;
    sp400/li-ion) input sp400/li-ion ENERGY 1 1 .FALSE. 400 no "      Li 0.0 0.0 0.0" ;;
    sp400/na-ion) input sp400/na-ion ENERGY 1 1 .FALSE. 400 no "      Na 0.0 0.0 0.0" ;;
    sp400/k-ion) input sp400/k-ion ENERGY 1 1 .FALSE. 400 no "      K 0.0 0.0 0.0" ;;
    sp400/mg-ion) input sp400/mg-ion ENERGY 2 1 .FALSE. 400 no "      Mg 0.0 0.0 0.0" ;;
    sp400/zn-ion) input sp400/zn-ion ENERGY 2 1 .FALSE. 400 no "      Zn 0.0 0.0 0.0" ;;
    sp400/li-dmf) input sp400/li-dmf ENERGY 1 1 .FALSE. 400 yes "$(last_frame li-dmf)" ;;
    sp400/na-dmf) input sp400/na-dmf ENERGY 1 1 .FALSE. 400 yes "$(last_frame na-dmf)" ;;
    sp400/k-dmf) input sp400/k-dmf ENERGY 1 1 .FALSE. 400 yes "$(last_frame k-dmf)" ;;
    sp400/mg-dmf) input sp400/mg-dmf ENERGY 2 1 .FALSE. 400 yes "$(last_frame mg-dmf)" ;;
    sp400/zn-dmf) input sp400/zn-dmf ENERGY 2 1 .FALSE. 400 yes "$(last_frame zn-dmf)" "" ot ;;
    variants/dmf-cut200) input variants/dmf-cut200 ENERGY 0 1 .FALSE. 200 no "$(last_frame dmf)" ;;
    *) echo "make_campaign.sh: unknown run '$1'" >&2; return 1 ;;
  esac
  execute "$1"
}

ALL="dmf li-ion na-ion k-ion mg-ion zn-ion li-dmf na-dmf k-dmf mg-dmf zn-dmf variants/dmf-cut200
h2o mecn na-atom na0-dmf na0-h2o na0-mecn
sp400/dmf sp400/li-ion sp400/na-ion sp400/k-ion sp400/mg-ion sp400/zn-ion sp400/li-dmf sp400/na-dmf
sp400/k-dmf sp400/mg-dmf sp400/zn-dmf"
for name in ${*:-$ALL}; do make_one "$name"; done
