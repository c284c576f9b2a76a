package tenant

import (
	"cmp"
	"encoding/binary"
	"errors"
	"slices"
	"strings"
	"sync"

	"github.com/provisionrules/provisionrules/internal/errtext"
	"github.com/provisionrules/provisionrules/internal/ident"
	"github.com/provisionrules/provisionrules/provisioning"
)

// Snapshot is a tenant at one moment: its directory users, its
// environments, and each environment's existing records by environment ID;
// with the directory's tenant ID and groups, which the health check
// (Diagnose) holds the environments' configuration against.
type Snapshot struct {
	// Tenant is the directory's tenant ID, as Microsoft Graph gives it
	// (tenantId). Every environment must be in it (CHK-TENANT). When it is
	// empty, the health check takes the tenant that most of the members'
	// licenses were assigned in.
	Tenant string `json:"tenant,omitempty"`
	// Groups are the directory's groups, for the health check
	// (CHK-GROUP-EXISTS, CHK-TEAM-GROUP). Nil means they were not given,
	// and the checks that need them say so; an empty list means the
	// directory has none.
	Groups []Group `json:"groups,omitzero"`
	// Users are the directory users and service principals.
	Users []provisioning.User `json:"users,omitempty"`
	// Environments are the tenant's environments.
	Environments []provisioning.Environment `json:"environments"`
	// Records are each environment's SystemUser records, by environment ID.
	Records map[string][]provisioning.Record `json:"records,omitempty"`
}

// Group is a group of the directory, as the health check reads it.
type Group struct {
	// ID is the group's object ID. Required, and unique among the groups.
	ID string `json:"id"`
	// Kind is the kind of group: security or Microsoft 365. Required.
	Kind provisioning.GroupKind `json:"kind"`
}

// Check reports the first problem with the structure of s, the one check
// that every entry point of this package runs (and the wire package's
// decoders of whole tenants): a user with no object ID (a JSON null reads
// as one), two users with one object ID, an environment with no ID, two
// environments with one ID, records listed for an environment s does not
// hold (ErrNoEnvironment), a record with no key (a JSON null), two records
// with one key in an environment, a record without an object ID that is
// not a support, delegated-admin, stub or application record, and a key
// holding control or bidirectional formatting characters. Each is a
// *provisioning.FieldError whose Field names the list, the element's index
// in the input and the field, such as "Users[3].ObjectID", and whose Key
// is the ID in question.
//
// A snapshot that passes Check can be planned without guessing. Other
// malformed fields (an unknown license plan, say) do not stop a plan: the
// user or record gets its own action with Err set. Validate reports those
// too.
func (s *Snapshot) Check() error {
	_, err := s.index()
	return err
}

// Validate reports every problem of s as one error joining them: the
// structural one that Check finds, then every malformed environment,
// user and record (each a *provisioning.FieldError naming its place in s,
// wrapping the error of its own Validate), each once: an element's error
// that Check has reported already (a user without an object ID, say) is
// not reported again. It returns nil when s is whole and every part of it
// well formed.
func (s *Snapshot) Validate() error {
	if s == nil {
		return nilSnapshot()
	}
	var errs []error
	checked := s.Check()
	if checked != nil {
		errs = append(errs, checked)
	}
	add := func(err error) {
		if err != nil && !sameProblem(err, checked) {
			errs = append(errs, err)
		}
	}
	for i := range s.Environments {
		add(at("environment", s.Environments[i].ID, indexed("Environments", i), s.Environments[i].Validate()))
	}
	for i := range s.Users {
		add(at("user", s.Users[i].ObjectID, indexed("Users", i), s.Users[i].Validate()))
	}
	for _, id := range sortedKeys(s.Records) {
		for i := range s.Records[id] {
			r := &s.Records[id][i]
			add(at("record", r.Key(), recordsField(id, i), r.Validate()))
		}
	}
	return errors.Join(errs...)
}

// sameProblem reports whether err and other are field errors of the same
// field for the same reason.
func sameProblem(err, other error) bool {
	a, ok := err.(*provisioning.FieldError)
	b, ok2 := other.(*provisioning.FieldError)
	return ok && ok2 && a.Field == b.Field && a.Err == b.Err
}

// at places err, the error of one element's Validate, in the snapshot: a
// new *provisioning.FieldError whose Field starts with path; nil for nil.
func at(input, key, path string, err error) error {
	if err == nil {
		return nil
	}
	var fe *provisioning.FieldError
	if errors.As(err, &fe) {
		return &provisioning.FieldError{Input: input, Key: key, Field: path + "." + fe.Field, Value: fe.Value, Err: fe.Err}
	}
	return &provisioning.FieldError{Input: input, Key: key, Field: path, Err: err}
}

func nilSnapshot() error {
	return &provisioning.FieldError{Input: "snapshot", Field: "*Snapshot", Value: "nil", Err: provisioning.ErrMissing}
}

// indexed names element i of list.
func indexed(list string, i int) string { return errtext.Indexed(list, i, "") }

// recordsField names record i of environment env's records.
func recordsField(env string, i int) string { return errtext.Indexed("Records["+env+"]", i, "") }

func itoa(i int) string {
	var b [20]byte
	n := len(b)
	for {
		n--
		b[n] = byte('0' + i%10)
		i /= 10
		if i == 0 {
			return string(b[n:])
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// index is a snapshot sorted for planning: users by object ID,
// environments by ID, and each environment's records by key. It points
// into the snapshot and copies none of its values.
type index struct {
	users   []userEntry
	envs    []*provisioning.Environment
	checked []provisioning.CheckedEnvironment // by position in envs; zero for a malformed one
	envPos  []int                             // by position in envs: the position in Snapshot.Environments
	records [][]recordEntry                   // by position in envs
}

// userEntry is a user of the index, checked once: c is zero for a
// malformed user, whose pairs are decided (and refused) on the unchecked
// path.
type userEntry struct {
	id  sortKey
	u   *provisioning.User
	c   provisioning.CheckedUser
	pos int // in Snapshot.Users
}

// recordEntry is a record of the index, checked once like a user.
type recordEntry struct {
	key sortKey
	r   *provisioning.Record
	c   provisioning.CheckedRecord
	pos int // in its environment's list
}

// index checks the structure of s (Check) and sorts it, with one
// goroutine; indexWith sorts with several.
func (s *Snapshot) index() (*index, error) { return s.indexWith(1) }

// indexWith checks the structure of s (Check) and sorts it with up to
// workers goroutines: the users in as many runs, sorted side by side and
// merged, and the environments' records side by side.
func (s *Snapshot) indexWith(workers int) (*index, error) {
	if s == nil {
		return nil, nilSnapshot()
	}
	x := &index{}
	var err error
	if x.users, err = sortUsers(s.Users, workers); err != nil {
		return nil, err
	}
	for i := 1; i < len(x.users); i++ {
		if a, b := &x.users[i-1], &x.users[i]; a.id.s == b.id.s {
			return nil, duplicate("user", indexed("Users", max(a.pos, b.pos))+".ObjectID", b.id.s)
		}
	}

	envPos := make(map[*provisioning.Environment]int, len(s.Environments))
	x.envs = make([]*provisioning.Environment, len(s.Environments))
	for i := range s.Environments {
		e := &s.Environments[i]
		if err := checkKey("environment", func() string { return indexed("Environments", i) + ".ID" }, e.ID); err != nil {
			return nil, err
		}
		x.envs[i], envPos[e] = e, i
	}
	slices.SortFunc(x.envs, func(a, b *provisioning.Environment) int { return cmp.Compare(a.ID, b.ID) })
	for i := 1; i < len(x.envs); i++ {
		if a, b := x.envs[i-1], x.envs[i]; a.ID == b.ID {
			return nil, duplicate("environment", indexed("Environments", max(envPos[a], envPos[b]))+".ID", b.ID)
		}
	}
	x.envPos = make([]int, len(x.envs))
	x.checked = make([]provisioning.CheckedEnvironment, len(x.envs))
	for k, e := range x.envs {
		x.envPos[k] = envPos[e]
		x.checked[k], _ = provisioning.CheckEnvironment(e) // zero when malformed
	}
	if err := checkGroups(s.Groups); err != nil {
		return nil, err
	}
	for _, id := range sortedKeys(s.Records) {
		if x.env(id) < 0 {
			return nil, &provisioning.FieldError{Input: "snapshot", Key: id, Field: "Records[" + id + "]", Value: id, Err: ErrNoEnvironment}
		}
	}

	x.records = make([][]recordEntry, len(x.envs))
	errs := make([]error, len(x.envs))
	// Environments side by side, each with its share of the workers: a
	// tenant of one large environment sorts its records in parallel too.
	inner := max(1, workers/max(1, len(x.envs)))
	parallel(len(x.envs), workers, func(k int) {
		x.records[k], errs[k] = sortRecords(x.envs[k].ID, s.Records[x.envs[k].ID], inner)
	})
	for _, err := range errs { // the first in environment order
		if err != nil {
			return nil, err
		}
	}
	return x, nil
}

// checkGroups refuses a group with no ID, an ID holding control or
// bidirectional formatting characters, an unknown kind, and two groups
// with one ID.
func checkGroups(groups []Group) error {
	seen := make(map[string]int, len(groups))
	for i := range groups {
		g := &groups[i]
		field := func() string { return indexed("Groups", i) + ".ID" }
		if err := checkKey("group", field, g.ID); err != nil {
			return err
		}
		if !g.Kind.IsValid() {
			return &provisioning.FieldError{Input: "group", Key: g.ID, Field: indexed("Groups", i) + ".Kind", Value: g.Kind.String(), Err: provisioning.ErrUnknown}
		}
		if _, ok := seen[g.ID]; ok {
			return duplicate("group", field(), g.ID)
		}
		seen[g.ID] = i
	}
	return nil
}

// parallel calls f(i) for every i below n, on up to workers goroutines.
func parallel(n, workers int, f func(i int)) {
	workers = max(1, min(workers, n))
	if workers == 1 { // the same calls, without goroutines: speed only
		for i := range n {
			f(i)
		}
		return
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// sortUsers checks the users' keys and sorts them by object ID, on up to
// workers goroutines.
func sortUsers(users []provisioning.User, workers int) ([]userEntry, error) {
	runs := max(1, min(workers, len(users)/minSortRun))
	errs := make([]error, runs)
	keys := make([]order, len(users))
	parallel(runs, runs, func(r int) {
		for i := r * len(users) / runs; i < (r+1)*len(users)/runs; i++ {
			u := &users[i]
			if err := checkKey("user", func() string { return indexed("Users", i) + ".ObjectID" }, u.ObjectID); err != nil {
				errs[r] = err
				return
			}
			keys[i] = order{prefix: keyOf(u.ObjectID).prefix, i: int32(i)}
		}
	})
	for _, err := range errs { // the first in the users' order
		if err != nil {
			return nil, err
		}
	}
	keys = sortOrder(keys, func(i int32) string { return users[i].ObjectID }, workers)
	// The entries are made in their sorted places, each user checked once,
	// on every worker.
	out := make([]userEntry, len(users))
	parallel(runs, runs, func(r int) {
		for k := r * len(keys) / runs; k < (r+1)*len(keys)/runs; k++ {
			i := int(keys[k].i)
			u := &users[i]
			c, _ := provisioning.CheckUser(u) // zero when malformed
			out[k] = userEntry{id: sortKey{prefix: keys[k].prefix, s: u.ObjectID}, u: u, c: c, pos: i}
		}
	})
	return out, nil
}

// order is an entry of a sort by key: the key's first eight bytes (as
// sortKey holds them) and the position of its element. Sorting these, not
// the entries themselves, moves a sixth of the bytes.
type order struct {
	prefix uint64
	i      int32
}

// sortOrder sorts keys by the keys key(i) of their elements, on up to
// workers goroutines.
func sortOrder(keys []order, key func(i int32) string, workers int) []order {
	return sortParallel(keys, func(a, b order) int {
		if a.prefix != b.prefix {
			return cmp.Compare(a.prefix, b.prefix)
		}
		return strings.Compare(key(a.i), key(b.i))
	}, workers)
}

// sortRecords checks the records of environment env and sorts them by key,
// on up to workers goroutines.
func sortRecords(env string, list []provisioning.Record, workers int) ([]recordEntry, error) {
	keys := make([]order, len(list))
	for i := range list {
		r := &list[i]
		if err := checkRecord(env, i, r); err != nil {
			return nil, err
		}
		keys[i] = order{prefix: keyOf(r.Key()).prefix, i: int32(i)}
	}
	keys = sortOrder(keys, func(i int32) string { return list[i].Key() }, workers)
	recs := make([]recordEntry, len(list))
	for k, o := range keys {
		r := &list[o.i]
		c, _ := provisioning.CheckRecord(r) // zero when malformed
		recs[k] = recordEntry{key: sortKey{prefix: o.prefix, s: r.Key()}, r: r, c: c, pos: int(o.i)}
	}
	for i := 1; i < len(recs); i++ {
		if a, b := &recs[i-1], &recs[i]; a.key.s == b.key.s {
			return nil, duplicate("record", recordsField(env, max(a.pos, b.pos))+keyField(b.r), b.key.s)
		}
	}
	return recs, nil
}

// eachRecordPair calls f for every record of the environment at position
// k, in key order, with the user it belongs to (nil for none), paired as a
// plan pairs them: a record whose key is a user's object ID and that Match
// says is its. Users and records are walked side by side, both in key
// order.
func (x *index) eachRecordPair(k int, f func(u *userEntry, r *recordEntry)) {
	x.recordPairs(k, 0, len(x.records[k]), f)
}

// recordPairs is eachRecordPair of the records from lo to hi: the user of
// each is found as the pass over all of them would find it.
func (x *index) recordPairs(k, lo, hi int, f func(u *userEntry, r *recordEntry)) {
	j := 0
	if lo < hi {
		j, _ = slices.BinarySearchFunc(x.users, x.records[k][lo].key, func(u userEntry, key sortKey) int { return u.id.compare(key) })
	}
	for i := lo; i < hi; i++ {
		r := &x.records[k][i]
		for j < len(x.users) && x.users[j].id.compare(r.key) < 0 {
			j++
		}
		var u *userEntry
		if j < len(x.users) && x.users[j].id.s == r.key.s && provisioning.Match(x.users[j].u, r.r) {
			u = &x.users[j]
		}
		f(u, r)
	}
}

// env returns the position in x.envs of the environment with id, or -1.
func (x *index) env(id string) int {
	i, found := slices.BinarySearchFunc(x.envs, id, func(e *provisioning.Environment, id string) int { return cmp.Compare(e.ID, id) })
	if !found {
		return -1
	}
	return i
}

// checkKey refuses an empty key or one holding control or bidirectional
// formatting characters; field names the field, built only for an error.
func checkKey(input string, field func() string, key string) error {
	switch {
	case key == "":
		return &provisioning.FieldError{Input: input, Field: field(), Err: provisioning.ErrMissing}
	case !ident.Valid(key):
		return &provisioning.FieldError{Input: input, Key: key, Field: field(), Value: key, Err: provisioning.ErrMalformed}
	}
	return nil
}

// checkRecord refuses a record with no key, one whose key holds control
// characters, and one without an object ID that is not a support,
// delegated-admin, stub or application record.
func checkRecord(env string, i int, r *provisioning.Record) error {
	key := r.Key()
	if err := checkKey("record", func() string { return recordsField(env, i) + keyField(r) }, key); err != nil {
		return err
	}
	if r.ObjectID == "" {
		if k, err := r.Kind(); err == nil && k.Synced() && r.ApplicationID == "" {
			return &provisioning.FieldError{Input: "record", Key: key, Field: recordsField(env, i) + ".ObjectID", Err: provisioning.ErrMissing}
		}
	}
	return nil
}

// keyField names the field that gives r its key.
func keyField(r *provisioning.Record) string {
	switch {
	case r.ObjectID != "":
		return ".ObjectID"
	case r.UPN != "":
		return ".UPN"
	case r.ApplicationID != "":
		return ".ApplicationID"
	}
	return ".ObjectID"
}

func duplicate(input, field, key string) error {
	return &provisioning.FieldError{Input: input, Key: key, Field: field, Value: key, Err: provisioning.ErrDuplicate}
}

// sortKey is a string with its first eight bytes held inline as a
// big-endian number, so that most comparisons of a large sort touch no
// string data. It orders exactly as the string does.
type sortKey struct {
	prefix uint64
	s      string
}

func keyOf(s string) sortKey {
	var b [8]byte
	copy(b[:], s)
	return sortKey{prefix: binary.BigEndian.Uint64(b[:]), s: s}
}

func (k sortKey) compare(o sortKey) int {
	if k.prefix != o.prefix {
		return cmp.Compare(k.prefix, o.prefix)
	}
	return strings.Compare(k.s, o.s)
}
