//go:build !unix

package outdir

import "os"

// lock does nothing where advisory locks are not available: concurrent
// runs on one folder are then not serialised, and stale staging folders
// are removed only by hand.
func lock(f *os.File, wait bool) error {
	if wait {
		return nil
	}
	return errWouldBlock
}
