/**
 * The native API (seeds 000 and 001) under {@code /browser/}: sessions, scripted and natural-language tasks,
 * run-task, the PDF shortcut, files, credentials and the live view, with their request checkers and typed views.
 * Named {@code nativeapi} because {@code native} is a Java keyword and cannot name a package.
 */
package dev.tabrunner.nativeapi;
