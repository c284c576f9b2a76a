package tenant

import (
	"slices"

	"github.com/provisionrules/provisionrules/provisioning"
)

// DeletionReport says, for every record of a snapshot, whether an
// administrator can take it to its next stage of deletion now, and if not
// why, with the fixes (DEL-SOFT, DEL-PERMANENT).
type DeletionReport struct {
	// Deletions are every record's, ordered by environment ID and then by
	// record key.
	Deletions []provisioning.Deletion `json:"deletions"`
	// SoftDeletable counts the records an administrator can soft-delete
	// now.
	SoftDeletable int `json:"softDeletable"`
	// PermanentlyDeletable counts the soft-deleted records an
	// administrator can permanently delete now.
	PermanentlyDeletable int `json:"permanentlyDeletable"`
	// Blocked counts the others.
	Blocked int `json:"blocked"`
}

// Deletions checks every record of s with provisioning.CheckDeletion,
// giving it the directory user whose object ID it carries, or none when s
// holds no such user (the user is gone from the directory). A snapshot
// that fails Check is refused as Plan refuses it.
func Deletions(s *Snapshot) (DeletionReport, error) {
	x, err := s.index()
	if err != nil {
		return DeletionReport{}, err
	}
	var rep DeletionReport
	for k, env := range x.envs {
		for _, e := range x.records[k] {
			d := provisioning.CheckDeletion(env, e.r, x.user(e.r.ObjectID))
			switch {
			case !d.Allowed():
				rep.Blocked++
			case d.Stage == provisioning.SoftDeletion:
				rep.SoftDeletable++
			default:
				rep.PermanentlyDeletable++
			}
			rep.Deletions = append(rep.Deletions, d)
		}
	}
	return rep, nil
}

// user returns the directory user with object ID id, or nil.
func (x *index) user(id string) *provisioning.User {
	if e := x.entry(id); e != nil {
		return e.u
	}
	return nil
}

// entry returns the index's entry of the user with object ID id, or nil.
func (x *index) entry(id string) *userEntry {
	if id == "" {
		return nil
	}
	key := keyOf(id)
	i, found := slices.BinarySearchFunc(x.users, key, func(e userEntry, k sortKey) int { return e.id.compare(k) })
	if !found {
		return nil
	}
	return &x.users[i]
}
