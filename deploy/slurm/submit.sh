#!/usr/bin/env bash
# Submits a slasim run or sweep as N shards and the merge that waits for
# them, and prints the two job IDs:
#
#   deploy/slurm/submit.sh N run|sweep SCENARIO PARTS OUT [FLAGS...]
#
# FLAGS go to the shards (see slasim-shards.sbatch); the merge writes OUT
# (see slasim-merge.sbatch). Extra sbatch options, such as a partition or
# an account, go in SBATCH_* environment variables (SBATCH_PARTITION=long).
set -euo pipefail

if [ $# -lt 5 ]; then
	echo "usage: $0 N run|sweep SCENARIO PARTS OUT [FLAGS...]" >&2
	exit 2
fi
n=$1 command=$2 scenario=$3 parts=$4 out=$5
shift 5
here=$(cd "$(dirname "$0")" && pwd)

shards=$(sbatch --parsable --array="0-$((n - 1))" "$here/slasim-shards.sbatch" "$command" "$scenario" "$parts" "$@")
shards=${shards%%;*} # the job ID, without a cluster name
merge=$(sbatch --parsable --dependency="afterok:$shards" "$here/slasim-merge.sbatch" "$parts" "$out")
echo "shards: job $shards (array 0-$((n - 1))); merge: job $merge, into $out"
