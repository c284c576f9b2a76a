package syncfields_test

import (
	"encoding/json"
	"fmt"

	"github.com/provisionrules/provisionrules/syncfields"
)

func ExampleProfile_Update() {
	dir, _ := syncfields.Online().Source(map[string]string{
		"id": "7d2c1f0a", "userPrincipalName": "ana@contoso.com", "displayName": "Ana Silva",
		"givenName": "Ana", "surname": "Silva", "jobTitle": "Buyer", "mail": "ana@contoso.com",
	})
	rec, _, _ := syncfields.Online().Create(&dir)

	// Later the directory renames her, gives her a new title and mail.
	dir.Set(syncfields.FullName, "Ana Silva-Jones")
	dir.Set(syncfields.JobTitle, "Head Buyer")
	dir.Set(syncfields.InternalEmailAddress, "ana.silva@contoso.com")
	rec, res, _ := syncfields.Online().Update(&rec, &dir)

	for _, c := range res.Changes() {
		fmt.Printf("changed %s: %q -> %q (%s)\n", c.Column, c.Old, c.New, c.Rule)
	}
	for _, k := range res.KeptColumns() {
		fmt.Printf("kept %s = %q, directory says %q (%s)\n", k.Column, k.Value, k.Directory, k.Rule)
	}
	fmt.Println(rec.Columns.Get(syncfields.InternalEmailAddress))
	// Output:
	// changed jobtitle: "Buyer" -> "Head Buyer" (SYNC-ALWAYS)
	// kept fullname = "Ana Silva", directory says "Ana Silva-Jones" (SYNC-FULLNAME)
	// kept internalemailaddress = "ana@contoso.com", directory says "ana.silva@contoso.com" (SYNC-EMAIL)
	// ana@contoso.com
}

func ExampleProfile_Create() {
	dir, _ := syncfields.Online().Source(map[string]string{"id": "c0ffee01", "userPrincipalName": "svc@contoso.com", "surname": "Service"})
	rec, res, _ := syncfields.Online().Create(&dir)
	fmt.Println(rec.Columns.Get(syncfields.FirstName), rec.Columns.Get(syncfields.LastName), res.Changed().Len())
	// Output:
	// # Service 4
}

func ExampleParseFields() {
	rec, err := syncfields.ParseFields(map[string]string{"fullname": "Ana Silva", "new_badge": "B-17"}, false)
	fmt.Println(rec.Columns.Get(syncfields.FullName), rec.Custom["new_badge"], err)
	_, err = syncfields.ParseFields(map[string]string{"Full Name": "Ana Silva"}, false)
	fmt.Println(err)
	// Output:
	// Ana Silva B-17 <nil>
	// record: column Full Name = "Ana Silva": malformed value
}

func ExampleProfile_UpdateInto() {
	dir, _ := syncfields.Online().Source(map[string]string{"id": "7d2c1f0a", "givenName": "Ana", "city": "Redmond"})
	rec, _, _ := syncfields.Online().Create(&dir)

	// A loop over many records reuses one Result and updates in place.
	var res syncfields.Result
	dir.Set(syncfields.City, "Seattle")
	if err := syncfields.Online().UpdateInto(&rec, &res, &rec, &dir); err != nil {
		fmt.Println(err)
	}
	fmt.Println(rec.Columns.Get(syncfields.City), res.Changes()[0].Old)
	// Output:
	// Seattle Redmond
}

func ExampleProfile_Diff() {
	dir, _ := syncfields.Online().Source(map[string]string{"id": "7d2c1f0a", "displayName": "Ana Silva", "jobTitle": "Buyer"})
	rec, _, _ := syncfields.Online().Create(&dir)
	dir.Set(syncfields.FullName, "Ana Silva-Jones")
	dir.Set(syncfields.JobTitle, "Head Buyer")
	cols, _ := syncfields.Online().Diff(&rec, &dir)
	fmt.Println(cols.Columns()) // the full name is kept (SYNC-FULLNAME)
	// Output:
	// [jobtitle]
}

func ExampleProfile_Source() {
	v, err := syncfields.Online().Source(map[string]string{"givenName": "Ana", "businessPhones[0]": "+1 425 555 0100"})
	fmt.Println(v.Get(syncfields.FirstName), v.Get(syncfields.Telephone1), err)
	_, err = syncfields.OnPremises().Source(map[string]string{"surname": "Silva"}) // on-premises reads "sn"
	fmt.Println(err)
	// Output:
	// Ana +1 425 555 0100 <nil>
	// attributes: column surname = "Silva": no row of the profile maps this attribute
}

func ExampleProfile_SourceGraph() {
	// A Graph user object, as encoding/json decodes it.
	user := map[string]any{
		"id": "7d2c1f0a", "userPrincipalName": "ana@contoso.com", "accountEnabled": true,
		"givenName": "Ana", "jobTitle": nil, "businessPhones": []any{"+1 425 555 0100"},
	}
	v, err := syncfields.Online().SourceGraph(user)
	fmt.Printf("%q %q %q %v\n", v.Get(syncfields.FirstName), v.Get(syncfields.JobTitle), v.Get(syncfields.Telephone1), err)
	// Output:
	// "Ana" "" "+1 425 555 0100" <nil>
}

func ExampleResult_ChangeOf() {
	var dir syncfields.Values
	dir.Set(syncfields.ObjectID, "7d2c1f0a")
	dir.Set(syncfields.JobTitle, "Buyer")
	dir.Set(syncfields.FullName, "Ana Silva")
	rec, _, _ := syncfields.Online().Create(&dir)
	dir.Set(syncfields.JobTitle, "Head Buyer")
	dir.Set(syncfields.FullName, "Ana Silva-Jones")
	_, res, _ := syncfields.Online().Update(&rec, &dir)
	if c, ok := res.ChangeOf(syncfields.JobTitle); ok {
		fmt.Println(c.Column, c.Old, "->", c.New, c.Rule)
	}
	if k, ok := res.KeptOf(syncfields.FullName); ok {
		fmt.Println(k.Name, "kept", k.Value, "by", k.Rule)
	}
	// Output:
	// jobtitle Buyer -> Head Buyer SYNC-ALWAYS
	// fullname kept Ana Silva by SYNC-FULLNAME
}

func ExampleProfile_Written() {
	var dir syncfields.Values
	dir.Set(syncfields.ObjectID, "7d2c1f0a")
	dir.Set(syncfields.FirstName, " ")
	cols, _ := syncfields.Online().Diff(nil, &dir) // a new record
	v := syncfields.Online().Written(cols, &dir)
	fmt.Println(cols.Columns(), v.Get(syncfields.FirstName))
	// Output:
	// [firstname azureactivedirectoryobjectid] #
}

func ExampleValues_UnmarshalJSON() {
	var v syncfields.Values
	fmt.Println(v.UnmarshalJSON([]byte(`{"jobtitle":"Buyer","firstname":null}`)), v.Get(syncfields.JobTitle))
	// Keys are read in order, each exactly a logical name, each column once.
	fmt.Println(v.UnmarshalJSON([]byte(`{"jobtitle":"Buyer","JobTitle":"CEO"}`)))
	fmt.Println(v.UnmarshalJSON([]byte("{\"jobtitle\":\"g-\xffsales\"}")))
	// Output:
	// <nil> Buyer
	// values: column JobTitle = "\"CEO\"": key given twice: "JobTitle" and "jobtitle" differ only in case and name one column, given twice; logical names are lower-case
	// values: the text is not valid UTF-8 at byte 15
}

func ExampleFields_UnmarshalJSON() {
	var f syncfields.Fields
	err := f.UnmarshalJSON([]byte(`{"columns":{"fullname":"Ana Silva"},"emailEdited":true,"custom":{"new_badge":"B-17"}}`))
	fmt.Println(f.Columns.Get(syncfields.FullName), f.EmailEdited, f.Custom["new_badge"], err)
	fmt.Println(f.UnmarshalJSON([]byte(`{"custom":{"New Badge":"B-17"}}`)))
	// Output:
	// Ana Silva true B-17 <nil>
	// record: column custom[New Badge] = "B-17": malformed value
}

func ExampleResult_MarshalJSON() {
	dir, _ := syncfields.Online().Source(map[string]string{"id": "7d2c1f0a", "displayName": "Ana Silva", "jobTitle": "Buyer"})
	rec, _, _ := syncfields.Online().Create(&dir)
	dir.Set(syncfields.FullName, "Ana Silva-Jones")
	dir.Set(syncfields.JobTitle, "Head Buyer")
	_, res, _ := syncfields.Online().Update(&rec, &dir)
	data, _ := json.Marshal(res)
	fmt.Println(string(data))

	var back syncfields.Result
	fmt.Println(json.Unmarshal(data, &back), back.Equal(res))
	// Output:
	// {"profile":"online","changes":[{"column":"jobtitle","label":"Title","old":"Buyer","new":"Head Buyer","rule":"SYNC-ALWAYS"}],"kept":[{"column":"fullname","name":"fullname","label":"Full Name","value":"Ana Silva","directory":"Ana Silva-Jones","rule":"SYNC-FULLNAME"}]}
	// <nil> true
}

func ExampleResult_UnmarshalJSON() {
	var res syncfields.Result
	// A result no sync makes: the online profile always writes the title.
	err := res.UnmarshalJSON([]byte(`{"profile":"online","kept":[{"column":"jobtitle","name":"jobtitle","label":"Title","value":"Buyer","directory":"CEO","rule":"SYNC-ALWAYS"}]}`))
	fmt.Println(err)
	// Output:
	// result: column kept[0].column = "jobtitle": malformed value: profile online always writes jobtitle
}

func ExampleColumnSet_UnmarshalJSON() {
	var s syncfields.ColumnSet
	fmt.Println(s.UnmarshalJSON([]byte(`["jobtitle","firstname"]`)), s.Columns())
	fmt.Println(s.UnmarshalJSON([]byte(`["jobtitle","JOBTITLE"]`)))
	// Output:
	// <nil> [jobtitle firstname]
	// columns: column [1] = "jobtitle": key given twice: column jobtitle is listed twice
}
