// Package usertype is the vocabulary of Dataverse users: the access modes a
// SystemUser record can have, with the numbers Dataverse stores for them; the
// kinds of users (regular, application, non-interactive, support, delegated
// admin, stub and setup); the two well-known identities that every Microsoft
// support engineer and every delegated-admin partner map to; the limit of
// non-interactive users an environment may hold; and what each kind can do.
//
// It decides nothing about a particular user: package provisioning applies
// these facts to directory users and environments. The rule IDs cited here
// (UT-REGULAR, UT-APPLICATION, ...) are those of the rule table in the
// module's README.
//
// Start with [AccessMode], [Kind] and [Classify].
package usertype
