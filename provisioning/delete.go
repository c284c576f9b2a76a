package provisioning

import (
	"slices"
	"strconv"

	"github.com/provisionrules/provisionrules/internal/enum"
	"github.com/provisionrules/provisionrules/usertype"
)

// DeletionStage is a stage of an administrator's deletion of a record: a
// record is soft-deleted first (DEL-SOFT), then permanently deleted
// (DEL-PERMANENT). The zero DeletionStage is invalid.
type DeletionStage uint8

// The stages.
const (
	// SoftDeletion keeps the record, disabled, without roles or teams
	// (DEL-SOFT, DEL-SOFT-EFFECT).
	SoftDeletion DeletionStage = iota + 1
	// PermanentDeletion removes a soft-deleted record (DEL-PERMANENT).
	PermanentDeletion
)

var deletionStageNames = []string{SoftDeletion: "soft-delete", PermanentDeletion: "permanent-delete"}

// DeletionStages lists the stages in order.
func DeletionStages() []DeletionStage { return []DeletionStage{SoftDeletion, PermanentDeletion} }

// IsValid reports whether s is one of the stages.
func (s DeletionStage) IsValid() bool { return enum.Valid(deletionStageNames, s) }

// String returns the stage's name, such as "soft-delete".
func (s DeletionStage) String() string { return enum.Name(deletionStageNames, "DeletionStage", s) }

// MarshalText returns the stage's name. It fails for an invalid stage.
func (s DeletionStage) MarshalText() ([]byte, error) {
	return enum.Marshal(deletionStageNames, "provisioning.DeletionStage", s)
}

// UnmarshalText accepts a stage's name in any case; anything else is an
// error wrapping ErrUnknown and leaves s unchanged.
func (s *DeletionStage) UnmarshalText(text []byte) error {
	return enum.Unmarshal(deletionStageNames, "provisioning.DeletionStage", text, s)
}

// Deletion says whether an administrator can take a record to its next
// stage of deletion now and, when not, everything that blocks it.
type Deletion struct {
	// Environment is the environment ID.
	Environment string `json:"environment"`
	// Key is the record's key (Record.Key).
	Key string `json:"key"`
	// Stage is the record's next stage: SoftDeletion for a record not yet
	// deleted, PermanentDeletion for a soft-deleted one.
	Stage DeletionStage `json:"stage"`
	// Blocks are the reasons the stage cannot be taken now, each with its
	// rule and its fix; none when it can.
	Blocks []Block `json:"blocks,omitempty"`
}

// Allowed reports whether nothing blocks the next stage.
func (d Deletion) Allowed() bool { return len(d.Blocks) == 0 }

// Block is one reason a record cannot be deleted now.
type Block struct {
	// Rule is the rule that blocks it.
	Rule Rule `json:"rule"`
	// Err is the sentinel error an operation refused for this reason
	// wraps, such as ErrOwnsRecords.
	Err error `json:"-"`
	// Reason says what blocks it, in one sentence.
	Reason string `json:"reason"`
	// Fix says what would unblock it.
	Fix string `json:"fix"`
}

// CheckDeletion says whether an administrator can take record rec of env
// to its next stage of deletion, given u, the directory user whose object
// ID the record carries, or nil when the directory holds no such user (it
// is hard-deleted). It lists every block, not only the first:
//
//   - DEL-SOFT: the support and delegated-admin records are never deleted;
//     only a disabled record is; a regular user's record only when its
//     directory user is gone for good, not while it is soft-deleted,
//     disabled, unlicensed or outside the security group. Application and
//     stub records are not bound by the directory.
//   - DEL-PERMANENT: a soft-deleted record is removed only when the user
//     owns no records and the environment's Enable delete disabled users
//     setting is on.
//
// A malformed record is blocked by the error that says so, with no rule.
// CheckDeletion is the one place these rules are decided: Org.SoftDelete,
// Org.PermanentDelete and the tenant's deletion report all call it.
func CheckDeletion(env *Environment, rec *Record, u *User) Deletion {
	var d Deletion
	switch {
	case env == nil:
		return Deletion{Blocks: []Block{{Err: missing("environment", "*Environment"), Reason: "no environment was given"}}}
	case rec == nil:
		return Deletion{Environment: env.ID, Blocks: []Block{{Err: missing("record", "*Record"), Reason: "no record was given"}}}
	}
	d.Environment, d.Key, d.Stage = env.ID, rec.Key(), SoftDeletion
	if rec.SoftDeleted {
		d.Stage = PermanentDeletion
	}
	k, err := rec.validate()
	if err != nil {
		d.Blocks = append(d.Blocks, Block{Err: err, Reason: "the record is malformed: " + err.Error(), Fix: "correct the record"})
		return d
	}
	block := func(r Rule, err error, reason, fix string) {
		d.Blocks = append(d.Blocks, Block{Rule: r, Err: err, Reason: reason, Fix: fix})
	}
	if k == usertype.KindSupport || k == usertype.KindDelegatedAdmin {
		block(RuleDelSoft, ErrNeverDeleted, "the "+k.String()+" record belongs to the environment and is never deleted", "none: keep it")
		return d
	}
	if d.Stage == PermanentDeletion {
		if n := rec.OwnedRecords; n > 0 {
			block(RuleDelPermanent, ErrOwnsRecords, "the user still owns "+records(n), "reassign the "+records(n)+" this user owns")
		}
		if !env.Settings.DeleteDisabledUsers {
			block(RuleDelPermanent, ErrDeleteDisabledUsersOff, "the Enable delete disabled users setting of environment "+env.ID+" is off", "turn on Enable delete disabled users in the environment's feature settings")
		}
		return d
	}
	if !rec.Disabled {
		block(RuleDelSoft, ErrRecordEnabled, "the record is enabled", "disable it first: delete the user in Microsoft Entra ID and let the sync disable the record")
	}
	if k != usertype.KindApplication && k != usertype.KindStub && u != nil && !u.Deleted {
		state := "exists"
		fix := "delete the user from Microsoft Entra ID, then permanently from its deleted users"
		switch {
		case u.SoftDeleted:
			state, fix = "is soft-deleted and can still be restored", "permanently delete the user from Microsoft Entra ID's deleted users"
		case !u.Enabled:
			state = "is disabled but still exists"
		}
		block(RuleDelSoft, ErrUserExists, "directory user "+u.ObjectID+" "+state+" in Microsoft Entra ID", fix)
	}
	return d
}

// records says n records.
func records(n int) string {
	if n == 1 {
		return "1 record"
	}
	return strconv.Itoa(n) + " records"
}

// SoftDelete soft-deletes the record with key (DEL-SOFT), given u, the
// directory user whose object ID the record carries, or nil when the
// directory holds none. The record stays, disabled, and loses every
// security role and team membership (DEL-SOFT-EFFECT). It is refused with
// an *OpError citing the first block CheckDeletion finds, or
// ErrSoftDeleted for a record already soft-deleted.
func (o Org) SoftDelete(key string, u *User) (Org, error) {
	const op = "SoftDelete"
	i := o.find(key)
	if i < 0 {
		return o, &OpError{Op: op, Key: key, Err: ErrNoRecord}
	}
	d := CheckDeletion(&o.Environment, &o.Records[i], u)
	switch {
	case d.Stage == PermanentDeletion:
		return o, &OpError{Op: op, Key: key, Rule: RuleDelSoftEffect, Err: ErrSoftDeleted}
	case !d.Allowed():
		return o, &OpError{Op: op, Key: key, Rule: d.Blocks[0].Rule, Err: d.Blocks[0].Err}
	}
	return o.with(i, func(r *Record) {
		r.SoftDeleted, r.Disabled, r.Roles, r.Teams = true, true, nil, nil
	}), nil
}

// PermanentDelete removes the soft-deleted record with key from the
// environment (DEL-PERMANENT). It is refused with an *OpError for a record
// not soft-deleted (ErrNotSoftDeleted), a user who still owns records
// (ErrOwnsRecords), the Enable delete disabled users setting off
// (ErrDeleteDisabledUsersOff), and the support and delegated-admin records
// (ErrNeverDeleted).
func (o Org) PermanentDelete(key string) (Org, error) {
	const op = "PermanentDelete"
	i := o.find(key)
	if i < 0 {
		return o, &OpError{Op: op, Key: key, Err: ErrNoRecord}
	}
	d := CheckDeletion(&o.Environment, &o.Records[i], nil)
	switch {
	case d.Stage != PermanentDeletion && (d.Allowed() || d.Blocks[0].Err != ErrNeverDeleted):
		return o, &OpError{Op: op, Key: key, Rule: RuleDelPermanent, Err: ErrNotSoftDeleted}
	case !d.Allowed():
		return o, &OpError{Op: op, Key: key, Rule: d.Blocks[0].Rule, Err: d.Blocks[0].Err}
	}
	return Org{Environment: o.Environment, Records: slices.Delete(slices.Clone(o.Records), i, i+1)}, nil
}
