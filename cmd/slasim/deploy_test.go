package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/slasim/slasim/scenarios"
)

// manifest is what the tests read of a Kubernetes object.
type manifest struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Metadata   struct {
		Name string `yaml:"name"`
	} `yaml:"metadata"`
	Spec struct {
		CompletionMode string   `yaml:"completionMode"`
		Completions    int      `yaml:"completions"`
		Parallelism    int      `yaml:"parallelism"`
		AccessModes    []string `yaml:"accessModes"`
		Template       struct {
			Spec struct {
				RestartPolicy string `yaml:"restartPolicy"`
				Containers    []struct {
					Command      []string `yaml:"command"`
					Args         []string `yaml:"args"`
					VolumeMounts []struct {
						Name      string `yaml:"name"`
						MountPath string `yaml:"mountPath"`
					} `yaml:"volumeMounts"`
				} `yaml:"containers"`
				Volumes []struct {
					Name                  string `yaml:"name"`
					PersistentVolumeClaim *struct {
						ClaimName string `yaml:"claimName"`
					} `yaml:"persistentVolumeClaim"`
					ConfigMap *struct {
						Name string `yaml:"name"`
					} `yaml:"configMap"`
				} `yaml:"volumes"`
			} `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

// readManifests reads every object of a YAML file.
func readManifests(t *testing.T, path string) []manifest {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var ms []manifest
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var m manifest
		if err := dec.Decode(&m); errors.Is(err, io.EOF) {
			return ms
		} else if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		ms = append(ms, m)
	}
}

// podCommand is the container's command line as Kubernetes runs it for
// the index: $(JOB_COMPLETION_INDEX) expanded, and the volumes' mount
// points moved under root.
func podCommand(m manifest, index int, root string) []string {
	c := m.Spec.Template.Spec.Containers[0]
	var args []string
	for _, a := range append(c.Command[1:], c.Args...) {
		a = strings.ReplaceAll(a, "$(JOB_COMPLETION_INDEX)", strconv.Itoa(index))
		for _, v := range c.VolumeMounts {
			a = strings.ReplaceAll(a, v.MountPath, filepath.Join(root, v.MountPath))
		}
		args = append(args, a)
	}
	return args
}

// TestKubernetesIndexedJob checks deploy/k8s: an Indexed Job whose pods
// run shards 0 to N-1 into a shared volume, and a merge job on the same
// volume. It runs each pod's command here, the volumes as directories,
// and checks that the merged report is the single run's.
func TestKubernetesIndexedJob(t *testing.T) {
	shards := readManifests(t, "../../deploy/k8s/slasim-shards.yaml")
	merges := readManifests(t, "../../deploy/k8s/slasim-merge.yaml")
	if len(shards) != 2 || shards[0].Kind != "PersistentVolumeClaim" || shards[1].Kind != "Job" || len(merges) != 1 || merges[0].Kind != "Job" {
		t.Fatalf("want a claim and a job, then a job; got %+v and %+v", shards, merges)
	}
	claim, job, merge := shards[0], shards[1], merges[0]
	if job.APIVersion != "batch/v1" || job.Spec.CompletionMode != "Indexed" || job.Spec.Template.Spec.RestartPolicy != "Never" {
		t.Errorf("the shards' job is not an Indexed batch/v1 Job that never restarts a pod in place: %+v", job.Spec)
	}
	if claim.Spec.AccessModes[0] != "ReadWriteMany" {
		t.Errorf("the parts' volume is %v: pods on several nodes write it", claim.Spec.AccessModes)
	}
	n := job.Spec.Completions
	if n < 1 || job.Spec.Parallelism < 1 || job.Spec.Parallelism > n {
		t.Fatalf("completions %d, parallelism %d", n, job.Spec.Parallelism)
	}
	for _, j := range []manifest{job, merge} {
		ps := j.Spec.Template.Spec
		if len(ps.Containers) != 1 || ps.Containers[0].Command[0] != "slasim" {
			t.Fatalf("%s: want one container running slasim", j.Metadata.Name)
		}
		for _, v := range ps.Volumes {
			if v.Name == "parts" && (v.PersistentVolumeClaim == nil || v.PersistentVolumeClaim.ClaimName != claim.Metadata.Name) {
				t.Errorf("%s: the parts volume is not the claim %s", j.Metadata.Name, claim.Metadata.Name)
			}
		}
	}
	args := strings.Join(job.Spec.Template.Spec.Containers[0].Args, " ")
	if want := "--shard=$(JOB_COMPLETION_INDEX)/" + strconv.Itoa(n); !strings.Contains(args, want) {
		t.Errorf("the shards' args %q lack %s, with N the job's completions", args, want)
	}

	// The pods, run here on the scenario the ConfigMap holds, with fewer
	// replications (the same for the single run).
	root := t.TempDir()
	for _, d := range []string{"parts", "scenario"} {
		if err := os.Mkdir(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	text, _ := scenarios.Source("default")
	scenario := filepath.Join(root, "scenario", "desk.yaml")
	if err := os.WriteFile(scenario, text, 0o644); err != nil {
		t.Fatal(err)
	}
	quick := regexp.MustCompile(`^--replications=\d+$`)
	fewer := func(args []string) []string {
		for i, a := range args {
			if quick.MatchString(a) {
				args[i] = "--replications=5"
			}
		}
		return append(args, "--horizon=1w")
	}
	for k := range n {
		cmd := fewer(podCommand(job, k, root))
		if code, _, errs := slasim(t, context.Background(), cmd...); code != exitOK {
			t.Fatalf("pod %d: %v: exit %d: %s", k, cmd, code, errs)
		}
	}
	cmd := podCommand(merge, 0, root)
	code, merged, errs := slasim(t, context.Background(), cmd...)
	if code != exitOK {
		t.Fatalf("merge: %v: exit %d: %s", cmd, code, errs)
	}
	single := withoutShard(fewer(podCommand(job, 0, root)))
	_, want, _ := slasim(t, context.Background(), single...)
	if merged != want {
		t.Errorf("the merge prints\n%s\nthe single run %v\n%s", merged, single, want)
	}
	if report, err := os.ReadFile(filepath.Join(root, "parts", "result", "report.txt")); err != nil || string(report) != want {
		t.Errorf("the merge's report.txt (%v) is not the single run's", err)
	}
}

// withoutShard drops the shard's own flags from a pod's command: the single
// run it is part of.
func withoutShard(args []string) []string {
	var out []string
	for _, a := range args {
		if !strings.HasPrefix(a, "--shard=") && !strings.HasPrefix(a, "--partial=") {
			out = append(out, a)
		}
	}
	return out
}
