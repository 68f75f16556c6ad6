package io.ukiyoe.data;
