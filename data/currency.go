package data

// SingleCurrency returns the currency of e's opportunities when they state
// a single one, else "" (amounts without a unit): "" also when none states
// one.
func (e *Export) SingleCurrency() string {
	cur := ""
	for _, o := range e.Opportunities {
		switch {
		case o.Currency == "" || o.Currency == cur:
		case cur == "":
			cur = o.Currency
		default:
			return ""
		}
	}
	return cur
}
