package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/provisionrules/provisionrules/provisioning/tenant"
	"github.com/provisionrules/provisionrules/provisioning/webapi"
)

// Main runs an example: it calls run with the arguments, standard output
// and standard error, and returns the exit code. -h or -help prints the usage to
// standard output and exits 0; a usage error (an unknown flag, a bad value,
// an extra argument) is printed once to standard error, with a hint, and
// exits 2; any other error exits 1.
func Main(name string, args []string, stdout, stderr io.Writer, run func(args []string, out, errOut io.Writer) error) int {
	err := run(args, stdout, stderr)
	var usage usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &usage):
		fmt.Fprintf(stderr, "%s: %v\n(run %s -h for the flags)\n", name, err, name)
		return 2
	}
	fmt.Fprintf(stderr, "%s: %v\n", name, err)
	return 1
}

// usageError is a mistake on the command line.
type usageError struct{ err error }

// Error returns the mistake's text.
func (e usageError) Error() string { return e.err.Error() }

// Unwrap returns the mistake.
func (e usageError) Unwrap() error { return e.err }

// Usage makes err a usage error: a mistake on the command line, which
// Main prints with a hint to run -h and exits 2 for.
func Usage(err error) error { return usageError{err} }

// Parse parses args with fs, which must be ContinueOnError. For -h it
// prints about, then the flags, to out and returns flag.ErrHelp; a bad
// flag, or any argument left after the flags, is a usage error.
func Parse(fs *flag.FlagSet, args []string, out io.Writer, about string) error {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.SetOutput(out)
		fmt.Fprintln(out, strings.TrimSpace(about))
		fmt.Fprintln(out, "\nFlags:")
		fs.PrintDefaults()
		return flag.ErrHelp
	case err != nil:
		return usageError{err}
	case fs.NArg() > 0:
		return usageError{fmt.Errorf("unexpected argument %q: every input is given by a flag", fs.Arg(0))}
	}
	return nil
}

// Enum defines flag name on fs for a value of a closed enum: text is
// parsed by set, and an unknown value is refused naming the valid ones.
func Enum[T interface{ String() string }](fs *flag.FlagSet, name, usage string, valid []T, set func(T)) {
	names := make([]string, len(valid))
	for i, v := range valid {
		names[i] = v.String()
	}
	fs.Func(name, usage+" ("+strings.Join(names, ", ")+")", func(text string) error {
		for _, v := range valid {
			if strings.EqualFold(v.String(), text) {
				set(v)
				return nil
			}
		}
		return fmt.Errorf("want one of %s", strings.Join(names, ", "))
	})
}

// Exclusive refuses, as a usage error, a command line that sets more than
// one of the flags names, which ask for things that cannot be done
// together; why says why.
func Exclusive(fs *flag.FlagSet, why string, names ...string) error {
	var set []string
	fs.Visit(func(f *flag.Flag) {
		for _, n := range names {
			if f.Name == n {
				set = append(set, "-"+n)
			}
		}
	})
	if len(set) > 1 {
		return usageError{fmt.Errorf("%s cannot be used together: %s", strings.Join(set, " and "), why)}
	}
	return nil
}

// AppendRequest appends to line the members that say how step st's write
// is applied: "request", the Dataverse request (webapi.EncodeWrite), or
// "requestError", why there is none.
func AppendRequest(line []byte, st *tenant.Step) []byte {
	write, err := st.Write()
	var req webapi.Request
	if err == nil {
		req, err = webapi.EncodeWrite(write)
	}
	if err != nil {
		msg, _ := json.Marshal(err.Error())
		line = append(line, `,"requestError":`...)
		return append(line, msg...)
	}
	line = append(line, `,"request":`...)
	return req.AppendJSON(line)
}

// Request says in a few words how step st's write is applied: the method
// and path of its Dataverse request, "-" for an action that writes
// nothing, or why the write cannot be made.
func Request(st *tenant.Step) string {
	if !st.Action.Writes() {
		return "-"
	}
	write, err := st.Write()
	var req webapi.Request
	if err == nil {
		req, err = webapi.EncodeWrite(write)
	}
	if err != nil {
		return "none: " + err.Error()
	}
	return req.Method + " " + req.Path
}
