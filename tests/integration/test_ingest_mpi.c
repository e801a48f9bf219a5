/* `mpirun -n 2 dftscreen ingest --mpi` on the project's fixture tree: the store exports
 * exactly what a single-process ingest exports, fresh and incrementally (a run removed,
 * one changed: same reads, copies and vanished marks).  Skipped, saying so, without
 * mpirun.  OpenMPI's own allocations are not ours: the MPI children run with LeakSanitizer
 * off (ASAN_OPTIONS=detect_leaks=0) when the suite runs under ASan. */
#include <unistd.h>

#include "tests/cli.h"

static char work[256];


static char *export_json(const char *store)
{
    char args[1024];
    int status = 1;
    snprintf(args, sizeof args, "export --json '%s'", store);
    char *out = cli_run(args, &status, NULL);
    if (status) {
        free(out);
        return NULL;
    }
    return out;
}

static int mpi_ingest(const char *tree, const char *store)
{
    return cli_sh("OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl=self,vader "
              "ASAN_OPTIONS=detect_leaks=0 mpirun --oversubscribe -n 2 '%s' ingest --mpi '%s' -o '%s' -j 1 --quiet",
              DS_BIN(), tree, store);
}

TEST(two_ranks_equal_one_process)
{
    if (cli_sh("command -v mpirun >/dev/null 2>&1") != 0) {
        SKIP("mpirun not installed (Debian openmpi-bin): the MPI ingest is not tested");
        return;
    }
    char tree[512], single[512], mpi[512];
    snprintf(tree, sizeof tree, "%s/tree", work);
    snprintf(single, sizeof single, "%s/single.h5", work);
    snprintf(mpi, sizeof mpi, "%s/mpi.h5", work);
    CHECK(cli_sh("mkdir -p '%s' && cp -r '%s'/. '%s'/", tree, FIXTURES(), tree) == 0);
    CHECK(cli_sh("'%s' ingest '%s' -o '%s' --quiet", DS_BIN(), tree, single) == 0);
    CHECK(mpi_ingest(tree, mpi) == 0);
    char *a = export_json(single), *b = export_json(mpi);
    CHECK_MSG(a && b && strcmp(a, b) == 0, "fresh: the MPI store exports differently");
    free(a), free(b);
    /* no shard or shard lock left behind */
    CHECK(cli_sh("ls '%s'/mpi.h5.mpi.* >/dev/null 2>&1", work) != 0);
    /* incremental: one run gone, one changed; both stores updated from the same content */
    CHECK(cli_sh("cp '%s' '%s' && rm -rf '%s/cp2k/h2o-scf3' && echo '! changed' >> '%s/cp2k/h2o/h2o.inp'", single, mpi,
             tree, tree) == 0);
    CHECK(cli_sh("'%s' ingest '%s' -o '%s' --quiet", DS_BIN(), tree, single) == 0);
    CHECK(mpi_ingest(tree, mpi) == 0);
    a = export_json(single), b = export_json(mpi);
    CHECK_MSG(a && b && strcmp(a, b) == 0, "incremental: the MPI store exports differently");
    CHECK(a && strstr(a, "h2o-scf3") != NULL); /* the vanished run is kept */
    free(a), free(b);
}

int main(void)
{
    snprintf(work, sizeof work, "/tmp/ds_mpi_testXXXXXX");
    if (!mkdtemp(work)) return 1;
    RUN(two_ranks_equal_one_process);
    cli_sh("rm -rf '%s'", work);
    return TEST_FINISH();
}
