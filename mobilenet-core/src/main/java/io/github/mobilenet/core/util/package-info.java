/**
 * Helpers every module shares, each with one home: vector maths, SHA-256, file trees and .npy
 * files.
 */
package io.github.mobilenet.core.util;
