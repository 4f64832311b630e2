package files

import (
	filev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1"
	sharev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/share/v1"
)

// Direction is the upstream's order_direction for d, in whichever string
// type an operation's parameters use; nil leaves the upstream's default.
func Direction[T ~string](d filev1.OrderDirection) *T {
	var v T
	switch d {
	case filev1.OrderDirection_ORDER_DIRECTION_ASC:
		v = "asc"
	case filev1.OrderDirection_ORDER_DIRECTION_DESC:
		v = "desc"
	default:
		return nil
	}
	return &v
}

// shareOrders are the upstream's share-list sort fields; unspecified is the
// upstream's default, by id.
var shareOrders = map[sharev1.ShareOrderBy]string{
	sharev1.ShareOrderBy_SHARE_ORDER_BY_VIEWS:            "views",
	sharev1.ShareOrderBy_SHARE_ORDER_BY_DOWNLOADS:        "downloads",
	sharev1.ShareOrderBy_SHARE_ORDER_BY_REMAIN_DOWNLOADS: "remain_downloads",
	sharev1.ShareOrderBy_SHARE_ORDER_BY_PRICE:            "price",
}

// ShareOrder is the upstream's order_by of a share list for by; nil leaves
// the upstream's default.
func ShareOrder[T ~string](by sharev1.ShareOrderBy) *T {
	s, ok := shareOrders[by]
	if !ok {
		return nil
	}
	v := T(s)
	return &v
}
