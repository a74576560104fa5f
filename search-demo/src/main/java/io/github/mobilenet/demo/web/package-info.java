/** The demo web server: a search page and its JSON API over one index. */
package io.github.mobilenet.demo.web;
