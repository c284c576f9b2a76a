package wire

// Page is one page of an OData list response, from Microsoft Graph or the
// Dataverse Web API: every page decoder of this package returns one.
type Page[T any] struct {
	// Items are the page's records, in the order of its "value" array.
	Items []T
	// NextLink is the page's @odata.nextLink: the URL of the next page,
	// empty on the last one.
	NextLink string
	// DeltaLink is the page's @odata.deltaLink: on the last page of a
	// Microsoft Graph delta query, the URL that returns the changes made
	// since; empty otherwise.
	DeltaLink string
}
