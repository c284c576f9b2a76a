// Package readme checks that the output samples the project's README.md
// shows are what the example programs print: each sample sits between the
// markers <!-- begin sample NAME --> and <!-- end sample NAME -->, and the
// example's test hands Check what the program prints for it. Run the
// example's tests with -update to rewrite the samples.
package readme

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the README samples from what the examples print")

// Check compares the README's sample name with want, a program's output
// or an excerpt of it, or rewrites the sample under -update. The README is
// found by walking up from the working directory to the module's root.
func Check(t testing.TB, name, want string) {
	t.Helper()
	path, err := find()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	begin, end := "<!-- begin sample "+name+" -->\n```\n", "```\n<!-- end sample "+name+" -->"
	i, j := strings.Index(text, begin), strings.Index(text, end)
	if i < 0 || j < i {
		t.Fatalf("README.md lacks the sample %q (markers %q and %q)", name, begin, end)
	}
	got := text[i+len(begin) : j]
	if got == want {
		return
	}
	if *update {
		if err := os.WriteFile(path, []byte(text[:i+len(begin)]+want+text[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md sample %q is stale; run go test with -update. Want:\n%s", name, want)
}

// find returns the path of README.md at the module's root.
func find() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "README.md"), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}

// Lines returns the lines of out from the first that holds from, through
// the one before the first blank line after it (or the end).
func Lines(out, from string) string {
	i := strings.Index(out, from)
	if i < 0 {
		return ""
	}
	i = strings.LastIndexByte(out[:i], '\n') + 1
	block, _, _ := strings.Cut(out[i:], "\n\n")
	return block + "\n"
}

// Without returns text without the lines that hold any of drop.
func Without(text string, drop ...string) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(text, "\n") {
		keep := true
		for _, d := range drop {
			keep = keep && !strings.Contains(line, d)
		}
		if keep {
			b.WriteString(line)
		}
	}
	return b.String()
}
