module github.com/slasim/slasim

go 1.26.8

require (
	golang.org/x/sync v0.18.0
	gonum.org/v1/gonum v0.17.0
)
