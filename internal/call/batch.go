package call

import (
	"errors"
	"net/http"

	"github.com/cloudreve-connect/facade/internal/rpcerror"
	"github.com/cloudreve-connect/facade/internal/upstream"
)

// Over names the items of a batch operation as the request named them, so
// that a partly failed batch (40081) reports its failed items under those
// names, not the server's re-encoding, and says which items were applied:
//
//	err := call.Action("moveFiles").Over(req.GetUris()).Do(s.api.MoveFiles(ctx, body))
func (op Action) Over(items []string) BatchAction {
	return BatchAction{op: op, items: items}
}

// BatchAction is an Action over named items.
type BatchAction struct {
	op    Action
	items []string
}

// Do judges the answer like Action.Do.
func (b BatchAction) Do(resp *http.Response, err error) error {
	err = upstream.Action(b.op).Check(resp, err)
	return rpcerror.FromUpstream(nameItems(err, b.items))
}

// Over is Action.Over for operations whose answer carries data.
func (op Op[T]) Over(items []string) Batch[T] {
	return Batch[T]{op: op, items: items}
}

// Batch is an Op over named items.
type Batch[T any] struct {
	op    Op[T]
	items []string
}

// Do is Op.Do with the failed items named as the request named them.
func (b Batch[T]) Do(resp *http.Response, err error) (*T, error) {
	d, err := upstream.Op[T](b.op).Decode(resp, err)
	return d, rpcerror.FromUpstream(nameItems(err, b.items))
}

// Need is Op.Need with the failed items named as the request named them.
func (b Batch[T]) Need(resp *http.Response, err error) (*T, error) {
	d, err := upstream.Op[T](b.op).Need(resp, err)
	return d, rpcerror.FromUpstream(nameItems(err, b.items))
}

func nameItems(err error, items []string) error {
	var ue *upstream.Error
	if errors.As(err, &ue) {
		ue.NameItems(items)
	}
	return err
}
