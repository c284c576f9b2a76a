package usertype_test

import (
	"fmt"

	"github.com/provisionrules/provisionrules/usertype"
)

func ExampleClassify() {
	for _, f := range []usertype.Traits{
		{UPN: "ana@contoso.com", Mode: usertype.ReadWrite},
		{UPN: "etl@contoso.com", Mode: usertype.NonInteractive},
		{Mode: usertype.NonInteractive, ApplicationID: "6a8f2c1e-app"},
		{UPN: usertype.SupportUPN, Mode: usertype.SupportUser},
	} {
		k, _ := usertype.Classify(f)
		fmt.Printf("%-16s synced=%-5v counts toward the limit of %d=%v\n",
			k, k.Synced(), usertype.NonInteractiveLimit, k.CountsTowardLimit())
	}
	// Output:
	// regular          synced=true  counts toward the limit of 7=false
	// non-interactive  synced=true  counts toward the limit of 7=true
	// application      synced=true  counts toward the limit of 7=false
	// support          synced=false counts toward the limit of 7=false
}

func ExampleAccessMode_UnmarshalText() {
	var m usertype.AccessMode
	_ = m.UnmarshalText([]byte("4")) // the value a Dataverse export holds
	fmt.Println(m, uint8(m))
	err := m.UnmarshalText([]byte("owner"))
	fmt.Println(err)
	// Output:
	// non-interactive 4
	// unknown access mode "owner"; want one of read-write, administrative, read, support-user, non-interactive, delegated-admin
}
